package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out as the kubelet lays out a ConfigMap or Secret volume: the keys' contents in a timestamped
 * directory {@code ..2026_..._n}, a {@code ..data} symlink to it, and each key a symlink to {@code ..data/<key>}.
 * An update writes a new timestamped directory and swaps {@code ..data} atomically (a new symlink renamed over
 * the old one), then deletes the old directory: the keys' own paths never change.
 */
public final class ConfigMapVolume {

    private static final AtomicInteger GENERATION = new AtomicInteger();

    private final Path dir;
    private Path current;

    private ConfigMapVolume(Path dir) {
        this.dir = dir;
    }

    /** A volume in {@code dir} (created) holding {@code keys} (key name to content). */
    public static ConfigMapVolume create(Path dir, Map<String, String> keys) {
        ConfigMapVolume volume = new ConfigMapVolume(dir);
        try {
            Files.createDirectories(dir);
            volume.current = volume.writeGeneration(keys);
            Files.createSymbolicLink(dir.resolve("..data"), volume.current.getFileName());
            for (String key : keys.keySet()) {
                Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return volume;
    }

    /** The path a pod reads a key at: it never changes. */
    public Path path(String key) {
        return dir.resolve(key);
    }

    /** Replaces the keys' contents as the kubelet does; a key not there before gets its symlink, as it does too. */
    public void update(Map<String, String> keys) {
        try {
            Path previous = current;
            Path next = writeGeneration(keys);
            Path link = dir.resolve("..data_tmp");
            Files.createSymbolicLink(link, next.getFileName());
            Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            current = next;
            for (String key : keys.keySet()) {
                if (!Files.exists(dir.resolve(key), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
                }
            }
            try (var files = Files.list(previous)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(previous);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path writeGeneration(Map<String, String> keys) throws IOException {
        Path generation = dir.resolve("..2026_12_06_00_00_00." + GENERATION.incrementAndGet());
        Files.createDirectory(generation);
        for (Map.Entry<String, String> key : keys.entrySet()) {
            Files.writeString(generation.resolve(key.getKey()), key.getValue(), StandardCharsets.UTF_8);
        }
        return generation;
    }
}
