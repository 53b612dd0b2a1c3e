package io.tokengateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client for test set-up and assertions on real Redis processes (cluster nodes, sentinels):
 * one command per connection, its whole reply parsed into String, Long, null or List.
 */
public final class Resp {

    /** Redis answered with an error reply. */
    public static final class ErrorReply extends RuntimeException {
        ErrorReply(String message) {
            super(message);
        }
    }

    private Resp() {}

    /** Sends one command to 127.0.0.1:port and returns its reply. */
    public static Object call(int port, String... args) {
        return exchange(port, List.of(args)).get(0);
    }

    /**
     * Logs in as {@code user} (an ACL user; {@code default} for a plain password), then sends one command on the
     * same connection and returns its reply. A refused login or command is an {@link ErrorReply}.
     */
    public static Object callAs(int port, String user, String password, String... args) {
        return exchange(port, List.of("AUTH", user, password), List.of(args)).get(1);
    }

    @SafeVarargs
    private static List<Object> exchange(int port, List<String>... commands) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder pipeline = new StringBuilder();
            for (List<String> args : commands) {
                pipeline.append('*').append(args.size()).append("\r\n");
                for (String arg : args) {
                    byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                    pipeline.append('$')
                            .append(bytes.length)
                            .append("\r\n")
                            .append(arg)
                            .append("\r\n");
                }
            }
            out.write(pipeline.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            List<Object> replies = new ArrayList<>();
            for (int i = 0; i < commands.length; i++) {
                replies.add(read(in));
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reply as text (a bulk or simple string). */
    public static String text(int port, String... args) {
        return String.valueOf(call(port, args));
    }

    /** One field of an {@code INFO} section, such as {@code role} or {@code connected_slaves}. */
    public static String info(int port, String section, String field) {
        for (String line : text(port, "INFO", section).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: " + (char) type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (previous == '\r' && b == '\n') {
                byte[] all = bytes.toByteArray();
                return new String(all, 0, all.length - 1, StandardCharsets.UTF_8);
            }
            bytes.write(b);
            previous = b;
        }
        throw new IOException("connection closed mid-reply");
    }
}
