package io.tokengateway.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

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
            "usage: verify-audit --public-key KEY|FILE [--allow-unsigned-tail] [--redis URL[,URL...]",
            "           [--redis-client-type standalone|sentinel|cluster] [--redis-master-name NAME]",
            "           [--redis-password-env VARIABLE] [--redis-trust-certs PEM-FILE]] FILE...",
            "  URL: redis://[[user]:password@]host:port[/db] or rediss://... (TLS)");

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    private VerifyAuditCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, System::getenv, out, err);
    }

    /** {@code environment} looks up {@code --redis-password-env}'s variable. */
    static int run(List<String> args, Function<String, String> environment, PrintStream out, PrintStream err) {
        String keyText = null;
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
                case "--public-key" -> keyText = i + 1 < args.size() ? args.get(++i) : null;
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
        if (keyText == null || files.isEmpty() || clientType == null || masterName == null) {
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
        PublicKey key;
        try {
            Path keyFile = Path.of(keyText);
            key = AuditKeys.publicKey(
                    keyText.length() < 4096 && Files.isRegularFile(keyFile) ? Files.readString(keyFile) : keyText);
        } catch (IllegalArgumentException | IOException e) {
            err.println("--public-key: " + e.getMessage());
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
            } catch (TimeoutException e) {
                err.println("cannot read checkpoints from Redis: no answer in " + REDIS_TIMEOUT.toSeconds() + " s");
                return 2;
            } catch (RuntimeException e) {
                err.println("cannot read checkpoints from Redis: " + reader.describe(e));
                return 2;
            }
        }
        AuditChainVerifier.Report report = AuditChainVerifier.verify(lines, key, checkpoints, allowUnsignedTail);
        report.notes().forEach(note -> out.println("NOTE " + note));
        report.breaks().forEach(broken -> out.println("BROKEN " + broken));
        String summary =
                report.records() + " records, " + report.instances() + " instance lifetime(s), " + report.checkpoints()
                        + " signed checkpoint(s), key " + AuditKeys.fingerprint(key)
                        + (checkpoints == null ? "" : ", " + checkpoints.size() + " lifetime(s) in Redis");
        if (report.intact()) {
            out.println("OK: " + summary + ": intact");
            return 0;
        }
        out.println("BROKEN: " + summary + ": " + report.breaks().size() + " instance(s) broken");
        return 1;
    }
}
