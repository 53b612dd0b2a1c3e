package io.tokengateway.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the gateway's log handlers actually wrote to disk from a point on (the test profile routes the
 * main log and the audit trail to files under {@code target/test-logs/}): the output after every filter,
 * exactly as an operator or a log shipper would read it.
 */
public final class WrittenOutput {

    public static final Path GATEWAY_LOG = Path.of("target", "test-logs", "gateway.log");
    public static final Path AUDIT_LOG = Path.of("target", "test-logs", "audit.log");

    private final Path file;
    private final long start;

    private WrittenOutput(Path file) {
        this.file = file;
        this.start = size(file);
    }

    public static WrittenOutput from(Path file) {
        return new WrittenOutput(file);
    }

    /** Everything written since this was created. */
    public String sinceStart() {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long from = end < start ? 0 : start; // rotated meanwhile: read the new file whole
            byte[] bytes = new byte[(int) (end - from)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
