package io.tokengateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: the only way to send what a well-behaved client
 * library refuses to (control characters in headers, invalid UTF-8, lies in Content-Length).
 */
public final class RawHttp {

    /** What came back: status 0 when the connection closed without an answer. */
    public record Answer(int status, Map<String, String> headers, String body) {}

    private RawHttp() {}

    public static Answer send(int port, byte[] request, int timeoutMillis) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedWhileSending) {
                // the server may answer and close before reading everything (413): read what it said
            }
            return read(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return new Answer(-1, Map.of(), "no answer within " + timeoutMillis + " ms");
        } catch (IOException e) {
            return new Answer(0, Map.of(), e.getClass().getSimpleName());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int headerEnd = -1;
        int contentLength = -1;
        while (true) {
            int n;
            try {
                n = in.read(chunk);
            } catch (IOException reset) {
                n = -1;
            }
            if (n < 0) {
                break;
            }
            all.write(chunk, 0, n);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                contentLength = contentLength(text.substring(0, headerEnd));
            }
            if (headerEnd >= 0 && contentLength >= 0 && all.size() >= headerEnd + 4 + contentLength) {
                break;
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 ")) {
            return new Answer(0, Map.of(), text);
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(Integer.parseInt(lines[0].substring(9, 12)), headers, end < 0 ? "" : text.substring(end + 4));
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return -1;
    }
}
