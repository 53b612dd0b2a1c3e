package io.tokengateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Records in a file, rotated by size: when a batch would take the file past {@code maxSize}, the file is
 * renamed to {@code <name>.<n>} (the next free number, so a rotated file is never overwritten) and a new
 * one is started; the chain simply continues in it. Each batch is one {@code write}, optionally followed by
 * an fsync. A batch that fails is cut off the file again, so no half-written record stays behind.
 *
 * <p>Before each batch the sink checks that the path still names the file it holds open: a file moved or
 * deleted by someone else (log shipping, an operator) is reopened, and a path that cannot be written fails
 * the batch, which is what readiness reports.
 */
final class FileAuditSink implements AuditSink {

    private final Path path;
    private final long maxSize;
    private final boolean fsync;
    private FileChannel channel;
    private Object fileKey;
    private long size;

    FileAuditSink(Path path, long maxSize, boolean fsync) {
        this.path = path.toAbsolutePath();
        this.maxSize = maxSize;
        this.fsync = fsync;
    }

    @Override
    public void write(byte[] lines) throws IOException {
        ensureOpen();
        if (size > 0 && size + lines.length > maxSize) {
            rotate();
        }
        long before = size;
        try {
            ByteBuffer buffer = ByteBuffer.wrap(lines);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(false);
            }
            size = before + lines.length;
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException ignored) {
                // the file is unusable; the next batch reopens it
            }
            closeChannel();
            throw e;
        }
    }

    private void ensureOpen() throws IOException {
        if (channel != null && channel.isOpen()) {
            Object current;
            try {
                current = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException gone) {
                current = null;
            }
            if (current != null && current.equals(fileKey)) {
                return;
            }
            closeChannel();
        }
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            size = channel.size();
        } catch (IOException e) {
            closeChannel();
            throw e;
        }
    }

    private void rotate() throws IOException {
        closeChannel();
        Files.move(path, rotatedName());
        ensureOpen();
    }

    private Path rotatedName() throws IOException {
        String prefix = path.getFileName() + ".";
        long highest = 0;
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(path.getParent(), prefix + "*")) {
            for (Path sibling : siblings) {
                String suffix = sibling.getFileName().toString().substring(prefix.length());
                if (!suffix.isEmpty() && suffix.chars().allMatch(Character::isDigit) && suffix.length() < 18) {
                    highest = Math.max(highest, Long.parseLong(suffix));
                }
            }
        }
        return path.resolveSibling(prefix + (highest + 1));
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more can be lost by a failed close of a file already written and flushed
            }
        }
        channel = null;
        fileKey = null;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public void close() {
        closeChannel();
    }
}
