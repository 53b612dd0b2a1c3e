package io.tokengateway.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The verifier's command line, run by the packaged application itself:
 *
 * <pre>
 * java -jar target/quarkus-app/quarkus-run.jar verify-audit --public-key KEY [--redis redis://host:6379] [--allow-unsigned-tail] FILE...
 * </pre>
 *
 * {@code KEY} is the Ed25519 public key (X.509 SubjectPublicKeyInfo, PEM or DER in base64), given inline
 * or as a file. Exit status 0 when every instance's trail is intact, 1 when one is broken (each broken
 * instance named with its first broken record and what broke), 2 for a usage error.
 */
public final class VerifyAuditCommand {

    static final String USAGE =
            "usage: verify-audit --public-key KEY|FILE [--redis redis://host:port] [--allow-unsigned-tail] FILE...";

    private VerifyAuditCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String keyText = null;
        String redis = null;
        boolean allowUnsignedTail = false;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--public-key" -> keyText = i + 1 < args.size() ? args.get(++i) : null;
                case "--redis" -> redis = i + 1 < args.size() ? args.get(++i) : null;
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
        if (keyText == null || files.isEmpty()) {
            err.println(USAGE);
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
        if (redis != null) {
            try (RedisCheckpointReader reader = new RedisCheckpointReader(redis)) {
                checkpoints = reader.checkpoints();
            } catch (IOException | RuntimeException e) {
                err.println("cannot read checkpoints from Redis: " + e.getMessage());
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
