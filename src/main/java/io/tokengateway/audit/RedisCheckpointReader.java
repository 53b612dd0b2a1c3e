package io.tokengateway.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the checkpoints the gateway stored in Redis, for the verifier: a few plain RESP commands
 * ({@code AUTH}, {@code SELECT}, {@code SCAN}, {@code ZRANGE}) over a socket, so the verifier starts no
 * application and needs no client library. A single Redis node ({@code redis://[user:password@]host:port[/db]});
 * for Cluster, point it at each primary in turn.
 */
final class RedisCheckpointReader implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RedisCheckpointReader(String url) throws IOException {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only redis:// URLs are supported");
        }
        socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            String password = URLDecoder.decode(parts.length == 2 ? parts[1] : parts[0], StandardCharsets.UTF_8);
            String user = parts.length == 2 && !parts[0].isEmpty()
                    ? URLDecoder.decode(parts[0], StandardCharsets.UTF_8)
                    : null;
            call(user == null ? new String[] {"AUTH", password} : new String[] {"AUTH", user, password});
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            call("SELECT", path.substring(1));
        }
    }

    /** Instance id to the sealed checkpoint lines stored for it, in seq order. */
    Map<String, List<String>> checkpoints() throws IOException {
        Map<String, List<String>> all = new LinkedHashMap<>();
        String cursor = "0";
        do {
            List<?> reply = (List<?>) call("SCAN", cursor, "MATCH", RedisCheckpoints.KEY_PREFIX + "*", "COUNT", "1000");
            cursor = (String) reply.get(0);
            for (Object key : (List<?>) reply.get(1)) {
                String name = (String) key;
                String instance = name.substring(RedisCheckpoints.KEY_PREFIX.length())
                        .replace("{", "")
                        .replace("}", "");
                List<String> lines = new ArrayList<>();
                for (Object line : (List<?>) call("ZRANGE", name, "0", "-1")) {
                    lines.add((String) line);
                }
                all.put(instance, lines);
            }
        } while (!"0".equals(cursor));
        return all;
    }

    private Object call(String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.writeBytes(bytes);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(request.toByteArray());
        out.flush();
        return reply();
    }

    private Object reply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+', ':':
                return line;
            case '-':
                throw new IOException("Redis answered an error: " + line.split(" ", 2)[0]);
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
                List<Object> items = new ArrayList<>(Math.max(0, count));
                for (int i = 0; i < count; i++) {
                    items.add(reply());
                }
                return items;
            }
            default:
                throw new IOException("not a Redis reply");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
