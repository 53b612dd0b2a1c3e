package io.tokengateway.policy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.tokengateway.digest.Sha256;

/**
 * The policy file of {@code gateway.policy.file} (DESIGN.md 9a), read whole: only {@code gateway.callers.*} and
 * {@code gateway.merchants.*} entries, a merchant's secret as {@code password-file} (a path to a mounted Secret
 * key), never as {@code password} (the file is a ConfigMap, readable by whoever may read the namespace's
 * configuration). Its version is the first 16 hex digits of SHA-256 over the file's bytes: the file holds no
 * secret, so the version reveals none.
 *
 * <p>Problems name the property and why, never a value: the caller logs them as they are.
 */
public final class PolicyFile {

    static final String CALLERS = "gateway.callers.";
    static final String MERCHANTS = "gateway.merchants.";
    private static final String PASSWORD_FILE = ".password-file";

    private PolicyFile() {}

    /** What reading the file gave: its entries and version, or why it is refused. */
    public sealed interface Read permits Parsed, Refused {}

    /**
     * @param version   first 16 hex digits of SHA-256 over the file's bytes
     * @param entries   the file's properties, by name
     * @param passwordFiles merchant id to the path of its password file
     */
    public record Parsed(String version, Map<String, String> entries, Map<String, Path> passwordFiles) implements Read {
        public Parsed {
            entries = Map.copyOf(entries);
            passwordFiles = Map.copyOf(passwordFiles);
        }
    }

    /** @param problems each names the property (or the file) and why */
    public record Refused(List<String> problems) implements Read {
        public Refused {
            problems = List.copyOf(problems);
        }
    }

    /** The version of a policy file's bytes. */
    public static String version(byte[] bytes) {
        return Sha256.hex(bytes).substring(0, 16);
    }

    /** Reads the file (following the ConfigMap's {@code ..data} symlink). Blocking: never on the event loop. */
    public static Read read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Refused(List.of("gateway.policy.file: cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")"));
        }
        return parse(file, bytes);
    }

    static Read parse(Path file, byte[] bytes) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | IOException e) {
            // Properties names no line; the message ("Malformed \\uxxxx encoding") quotes no value.
            return new Refused(
                    List.of("gateway.policy.file: " + file + " is not a properties file: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> entries = new TreeMap<>();
        Map<String, Path> passwordFiles = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name).trim();
            if (!name.startsWith(CALLERS) && !name.startsWith(MERCHANTS)) {
                problems.add(name + ": the policy file holds only gateway.callers.* and gateway.merchants.*");
                continue;
            }
            if (name.startsWith(MERCHANTS) && name.endsWith(".password")) {
                problems.add(name + ": a password does not belong in the policy file (a ConfigMap); "
                        + "mount it from a Secret and name it with .password-file");
                continue;
            }
            if (name.startsWith(MERCHANTS) && name.endsWith(PASSWORD_FILE)) {
                String merchant = name.substring(MERCHANTS.length(), name.length() - PASSWORD_FILE.length());
                if (value.isEmpty()) {
                    problems.add(name + " must name a file");
                    continue;
                }
                try {
                    passwordFiles.put(merchant, resolve(file, value));
                } catch (java.nio.file.InvalidPathException e) {
                    problems.add(name + " is not a file path"); // the exception's message quotes the value
                    continue;
                }
            }
            entries.put(name, value);
        }
        if (!problems.isEmpty()) {
            return new Refused(problems);
        }
        return new Parsed(version(bytes), entries, passwordFiles);
    }

    /** A relative password-file path is taken from the policy file's directory. */
    private static Path resolve(Path file, String value) {
        Path path = Path.of(value);
        Path dir = file.toAbsolutePath().getParent();
        return path.isAbsolute() || dir == null ? path : dir.resolve(path);
    }

    /**
     * A merchant's password, read from its file: the content with one trailing line break removed (as
     * {@code kubectl create secret --from-file} keeps whatever the file held). Blocking.
     */
    public static PasswordRead password(String merchantId, Path file) {
        String property = MERCHANTS + merchantId + PASSWORD_FILE;
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            if (content.endsWith("\n")) {
                content = content.substring(0, content.length() - 1);
            }
            if (content.endsWith("\r")) {
                content = content.substring(0, content.length() - 1);
            }
            if (content.isBlank()) {
                return new PasswordRead.Missing(property + ": " + file + " is empty");
            }
            return new PasswordRead.Found(content);
        } catch (IOException e) {
            return new PasswordRead.Missing(
                    property + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A password file's content, or why there is none (the reason quotes no content). */
    public sealed interface PasswordRead {
        /** Prints no secret. */
        final class Found implements PasswordRead {
            private final String password;

            Found(String password) {
                this.password = password;
            }

            /** The password. Never log it. */
            public String password() {
                return password;
            }

            @Override
            public String toString() {
                return "Found[redacted]";
            }
        }

        record Missing(String problem) implements PasswordRead {}
    }
}
