package io.tokengateway.audit.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.tokengateway.audit.AuditKeys;
import io.vertx.redis.client.RedisClientType;

/**
 * The verifier's command line, run by the packaged application itself:
 *
 * <pre>
 * java -jar target/quarkus-app/quarkus-run.jar verify-audit --public-key KEY [--redis URL[,URL...] [REDIS OPTION...]]
 *     [--allow-unsigned-tail] FILE...
 * </pre>
 *
 * {@code KEY} is the Ed25519 public key (X.509 SubjectPublicKeyInfo, PEM or DER in base64), given inline
 * or as a file. The Redis options are the gateway's {@code quarkus.redis.*} ({@link RedisCheckpointReader}).
 * Exit status 0 when every instance's trail is intact, 1 when one is broken (each broken instance named with
 * its first broken record and what broke), 2 for a usage error or a Redis that cannot be read.
 */
public final class VerifyAuditCommand {

    static final String USAGE = String.join(
            "\n",
            "usage: verify-audit --public-key KEY|FILE [--public-key KEY|FILE...] [--since TIME]",
            "           [--allow-unsigned-tail [--exported-at TIME] [--checkpoint-interval DURATION]]",
            "           [--redis URL[,URL...] [--redis-client-type standalone|sentinel|cluster]",
            "           [--redis-master-name NAME] [--redis-password-env VARIABLE] [--redis-trust-certs PEM-FILE]]",
            "           FILE...",
            "  URL: redis://[[user]:password@]host:port[/db] or rediss://... (TLS)",
            "  TIME: ISO-8601 instant, e.g. 2026-12-01T00:00:00Z; DURATION: e.g. 10s, 1m, PT10S");

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    private VerifyAuditCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, System::getenv, out, err);
    }

    /** {@code environment} looks up {@code --redis-password-env}'s variable. */
    static int run(List<String> args, Function<String, String> environment, PrintStream out, PrintStream err) {
        List<String> keyTexts = new ArrayList<>();
        String exportedAtText = null;
        String intervalText = null; // absent: the interval each lifetime's signed start record names
        boolean intervalGiven = false;
        String sinceText = null;
        String redis = null;
        String clientType = "standalone";
        String masterName = "mymaster"; // quarkus.redis.master-name's default
        String passwordVariable = null;
        String trustCertificates = null;
        boolean allowUnsignedTail = false;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--public-key" -> keyTexts.add(i + 1 < args.size() ? args.get(++i) : null);
                case "--exported-at" -> exportedAtText = i + 1 < args.size() ? args.get(++i) : null;
                case "--checkpoint-interval" -> {
                    intervalGiven = true;
                    intervalText = i + 1 < args.size() ? args.get(++i) : null;
                }
                case "--since" -> sinceText = i + 1 < args.size() ? args.get(++i) : null;
                case "--redis" -> redis = i + 1 < args.size() ? args.get(++i) : null;
                case "--redis-client-type" -> clientType = i + 1 < args.size() ? args.get(++i) : null;
                case "--redis-master-name" -> masterName = i + 1 < args.size() ? args.get(++i) : null;
                case "--redis-password-env" -> passwordVariable = i + 1 < args.size() ? args.get(++i) : null;
                case "--redis-trust-certs" -> trustCertificates = i + 1 < args.size() ? args.get(++i) : null;
                case "--allow-unsigned-tail" -> allowUnsignedTail = true;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (arg.startsWith("--")) {
                        err.println("unknown option " + arg + "\n" + USAGE);
                        return 2;
                    }
                    files.add(Path.of(arg));
                }
            }
        }
        if (keyTexts.isEmpty()
                || keyTexts.contains(null)
                || files.isEmpty()
                || clientType == null
                || masterName == null
                || (intervalGiven && intervalText == null)) {
            err.println(USAGE);
            return 2;
        }
        RedisCheckpointReader.Settings redisSettings = null;
        if (redis != null) {
            RedisClientType type;
            try {
                type = RedisClientType.valueOf(clientType.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                err.println("--redis-client-type: standalone, sentinel or cluster\n" + USAGE);
                return 2;
            }
            Optional<String> password = Optional.empty();
            if (passwordVariable != null) {
                password = Optional.ofNullable(environment.apply(passwordVariable));
                if (password.isEmpty()) {
                    err.println("--redis-password-env: the environment has no " + passwordVariable);
                    return 2;
                }
            }
            redisSettings = new RedisCheckpointReader.Settings(
                    List.of(redis.split(",")),
                    type,
                    masterName,
                    password,
                    Optional.ofNullable(trustCertificates).map(Path::of),
                    REDIS_TIMEOUT);
        } else if (passwordVariable != null || trustCertificates != null) {
            err.println("Redis options without --redis\n" + USAGE);
            return 2;
        }
        List<PublicKey> keys = new ArrayList<>();
        for (String keyText : keyTexts) {
            try {
                Path keyFile = Path.of(keyText);
                keys.add(AuditKeys.publicKey(
                        keyText.length() < 4096 && Files.isRegularFile(keyFile) ? Files.readString(keyFile) : keyText));
            } catch (IllegalArgumentException | IOException e) {
                err.println("--public-key: " + e.getMessage());
                return 2;
            }
        }
        Duration interval;
        Optional<Instant> since;
        Optional<Instant> exportedAt;
        try {
            interval = intervalText == null ? null : duration(intervalText);
            since = Optional.ofNullable(sinceText).map(Instant::parse);
            // Not the files' modification time: whoever could cut the files could set it back, and excuse any cut.
            exportedAt = Optional.of(exportedAtText != null ? Instant.parse(exportedAtText) : Instant.now());
        } catch (DateTimeParseException e) {
            err.println("not a time or duration: " + e.getParsedString() + "\n" + USAGE);
            return 2;
        }
        if (since.isPresent() && since.get().isAfter(exportedAt.get())) {
            // A period that starts after the export would excuse every lifetime in it as "ended before".
            err.println("--since is after the export time\n" + USAGE);
            return 2;
        }
        List<AuditChainVerifier.Line> lines = new ArrayList<>();
        try {
            for (Path file : files) {
                lines.addAll(AuditChainVerifier.read(file));
            }
        } catch (IOException e) {
            err.println("cannot read " + e.getMessage());
            return 2;
        }
        Map<String, List<String>> checkpoints = null;
        if (redisSettings != null) {
            RedisCheckpointReader reader;
            try {
                reader = RedisCheckpointReader.open(redisSettings);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage()); // names the URL by position, never quotes it
                return 2;
            }
            try (reader) {
                checkpoints = reader.checkpoints();
                if (!lines.isEmpty() && checkpoints.isEmpty()) {
                    // Most likely the wrong Redis, database or user: "verified against Redis" would mean nothing.
                    err.println("Redis holds no audit checkpoint of any lifetime: is --redis the gateways' Redis"
                            + " (and its database and user)?");
                    return 2;
                }
            } catch (TimeoutException e) {
                err.println("cannot read checkpoints from Redis: no answer in " + REDIS_TIMEOUT.toSeconds() + " s");
                return 2;
            } catch (RuntimeException e) {
                err.println("cannot read checkpoints from Redis: " + reader.describe(e));
                return 2;
            }
        }
        AuditChainVerifier.Report report = AuditChainVerifier.verify(
                lines,
                checkpoints,
                new AuditChainVerifier.Options(keys, allowUnsignedTail, exportedAt, interval, since));
        report.notes().forEach(note -> out.println("NOTE " + note));
        report.breaks().forEach(broken -> out.println("BROKEN " + broken));
        String summary = report.records() + " records, " + report.instances() + " instance lifetime(s), "
                + report.checkpoints()
                + " signed checkpoint(s), key(s) "
                + String.join(", ", keys.stream().map(AuditKeys::fingerprint).toList())
                + (checkpoints == null ? "" : ", " + checkpoints.size() + " lifetime(s) in Redis");
        if (report.intact()) {
            out.println("OK: " + summary + ": intact");
            return 0;
        }
        out.println("BROKEN: " + summary + ": " + report.breaks().size() + " instance(s) broken");
        return 1;
    }

    /** 10s, 500ms, 1m, 1h or ISO-8601 (PT10S). */
    static Duration duration(String text) {
        java.util.regex.Matcher simple =
                java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.strip());
        if (simple.matches()) {
            long n = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        return Duration.parse(text);
    }
}
