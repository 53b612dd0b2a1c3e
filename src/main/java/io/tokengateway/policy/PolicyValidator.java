package io.tokengateway.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tokengateway.auth.CallerPolicy;
import io.tokengateway.config.PolicyConfig;
import io.tokengateway.config.PolicyConfig.MerchantConfig;
import io.tokengateway.limit.LimitPolicies;
import io.tokengateway.merchant.MerchantRegistry;

/**
 * The one place a policy is checked, at start and on every change (DESIGN.md 9a): the policy file is mapped by
 * the same {@link PolicyConfig} as the static configuration (names, defaults, conversions, unknown properties
 * refused), then every merchant's password is read and each concern checks its part. The outcome is a whole
 * {@link Policy} or every problem found, each naming the property and why, never a secret.
 */
public final class PolicyValidator {

    private PolicyValidator() {}

    /** What checking a policy gave. */
    public sealed interface Validation permits Valid, Invalid {}

    /** A policy fit to serve, and the passwords it holds (so that every log learns to mask them). */
    public static final class Valid implements Validation {
        private final Policy policy;
        private final List<String> passwords;

        Valid(Policy policy, List<String> passwords) {
            this.policy = policy;
            this.passwords = List.copyOf(passwords);
        }

        public Policy policy() {
            return policy;
        }

        /** The merchants' passwords. Never log them. */
        public List<String> passwords() {
            return passwords;
        }

        @Override
        public String toString() {
            return "Valid[" + policy.version() + "]";
        }
    }

    /**
     * @param version       the refused file's version, when it could be read
     * @param problems      each names the property and why
     * @param passwordFiles the password files the refused policy names: watched too, so that a policy refused
     *                      because a Secret key is not mounted yet applies once it is
     */
    public record Invalid(Optional<String> version, List<String> problems, Set<Path> passwordFiles)
            implements Validation {
        public Invalid {
            problems = List.copyOf(problems);
            passwordFiles = Set.copyOf(passwordFiles);
        }
    }

    /**
     * The policy of the policy file, read now: its mapping, then {@link #validate}. Blocking (file IO): never on
     * an event loop.
     */
    public static Validation readFile(Path file) {
        return readFile(file, Optional.empty());
    }

    /**
     * As {@link #readFile(Path)}, every password file inside {@code passwordDir} when given: whoever may edit the
     * policy file must not be able to make the gateway send another file of its pod (a token, a key) to a base URL
     * of their choosing as a merchant's password.
     */
    public static Validation readFile(Path file, Optional<Path> passwordDir) {
        PolicyFile.Read read = PolicyFile.read(file);
        if (read instanceof PolicyFile.Refused refused) {
            return new Invalid(Optional.empty(), refused.problems(), Set.of());
        }
        PolicyFile.Parsed parsed = (PolicyFile.Parsed) read;
        PolicyConfig config;
        try {
            SmallRyeConfig mapped = new SmallRyeConfigBuilder()
                    .withMapping(PolicyConfig.class)
                    .withSources(new PropertiesConfigSource(parsed.entries(), "policy file " + file, 100))
                    .withConverter(Duration.class, 100, new DurationConverter())
                    .build();
            config = mapped.getConfigMapping(PolicyConfig.class);
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(e.getProblem(i).getMessage());
            }
            return new Invalid(
                    Optional.of(parsed.version()),
                    problems,
                    Set.copyOf(parsed.passwordFiles().values()));
        } catch (RuntimeException e) {
            // A conversion failure names the property in its message; it quotes no secret (the file holds none).
            return new Invalid(
                    Optional.of(parsed.version()),
                    List.of(String.valueOf(e.getMessage())),
                    Set.copyOf(parsed.passwordFiles().values()));
        }
        return validate(config, parsed.version(), file.toAbsolutePath().getParent(), passwordDir);
    }

    /**
     * Checks a mapped policy: reads each merchant's password (its {@code password}, or the file its
     * {@code password-file} names, relative to {@code baseDir}), then lets merchants, callers and limits check
     * their parts. Blocking when a password file is read.
     */
    public static Validation validate(PolicyConfig config, String version, Path baseDir) {
        return validate(config, version, baseDir, Optional.empty());
    }

    /** As {@link #validate(PolicyConfig, String, Path)}, every password file inside {@code passwordDir} if given. */
    public static Validation validate(PolicyConfig config, String version, Path baseDir, Optional<Path> passwordDir) {
        List<String> problems = new ArrayList<>();
        Map<String, String> passwords = new TreeMap<>();
        Set<Path> passwordFiles = new HashSet<>();
        config.merchants().forEach((id, merchant) -> {
            String prefix = PolicyFile.MERCHANTS + id;
            readPassword(prefix, id, merchant, baseDir, passwordDir, passwordFiles, problems)
                    .ifPresent(p -> passwords.put(id, p));
        });
        MerchantRegistry merchants = MerchantRegistry.build(config.merchants(), passwords, problems);
        CallerPolicy callers = CallerPolicy.build(config.callers(), merchants, problems);
        LimitPolicies limits = LimitPolicies.build(config.merchants(), problems);
        if (!problems.isEmpty()) {
            return new Invalid(Optional.of(version), problems, passwordFiles);
        }
        return new Valid(
                new Policy(version, callers, merchants, limits, passwordFiles), List.copyOf(passwords.values()));
    }

    private static Optional<String> readPassword(
            String prefix,
            String id,
            MerchantConfig merchant,
            Path baseDir,
            Optional<Path> passwordDir,
            Set<Path> passwordFiles,
            List<String> problems) {
        if (merchant.password().isPresent() && merchant.passwordFile().isPresent()) {
            problems.add(prefix + ": set .password or .password-file, not both");
            return Optional.empty();
        }
        if (merchant.passwordFile().isPresent()) {
            Path file;
            try {
                file = Path.of(merchant.passwordFile().get().trim());
            } catch (java.nio.file.InvalidPathException e) {
                problems.add(prefix + ".password-file is not a file path");
                return Optional.empty();
            }
            if (!file.isAbsolute() && baseDir != null) {
                file = baseDir.resolve(file);
            }
            if (passwordDir.isPresent() && !inside(file, passwordDir.get())) {
                problems.add(prefix + ".password-file must be inside gateway.policy.password-dir");
                return Optional.empty();
            }
            passwordFiles.add(file);
            PolicyFile.PasswordRead read = PolicyFile.password(id, file);
            if (read instanceof PolicyFile.PasswordRead.Found found) {
                return Optional.of(found.password());
            }
            problems.add(((PolicyFile.PasswordRead.Missing) read).problem());
            return Optional.empty();
        }
        if (merchant.password().filter(password -> !password.isBlank()).isEmpty()) {
            problems.add(prefix + ".password must be non-empty (or name a file with .password-file)");
            return Optional.empty();
        }
        return merchant.password();
    }

    /**
     * Whether {@code file} lies inside {@code dir}, by its path and, when it exists, by where its links lead (a
     * Secret volume's keys are links into its own {@code ..data} directory, which stays inside).
     */
    static boolean inside(Path file, Path dir) {
        Path absoluteDir = dir.toAbsolutePath().normalize();
        if (!file.toAbsolutePath().normalize().startsWith(absoluteDir)) {
            return false;
        }
        try {
            return !java.nio.file.Files.exists(file) || file.toRealPath().startsWith(absoluteDir.toRealPath());
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
