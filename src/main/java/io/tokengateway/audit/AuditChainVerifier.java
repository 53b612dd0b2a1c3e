package io.tokengateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Verifies audit chains read from a file: one JSON record per line (text before the first {@code {} on a
 * line, such as a log prefix, is ignored; lines without a record are skipped). Records of several
 * instances may be interleaved; each instance's chain must start at seq 1 and run without a gap, every
 * {@code prev} must be the hash of that instance's previous record, and every {@code hash} must match.
 *
 * <pre>java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' io.tokengateway.audit.AuditChainVerifier audit.log</pre>
 *
 * Exit status 0 when every chain is intact, 1 with the first broken record's line number otherwise.
 */
public final class AuditChainVerifier {

    /** The first broken record, or empty when every chain is intact. */
    public record Result(int records, int instances, Optional<String> firstBreak) {
    }

    private AuditChainVerifier() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AuditChainVerifier <audit-file>");
            System.exit(2);
        }
        Result result = verify(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
        if (result.firstBreak().isPresent()) {
            System.out.println("BROKEN: " + result.firstBreak().get());
            System.exit(1);
        }
        System.out.println("OK: " + result.records() + " records in " + result.instances() + " chain(s), all intact");
    }

    public static Result verify(List<String> lines) {
        record Tail(long seq, String hash) {
        }
        Map<String, Tail> tails = new HashMap<>();
        int records = 0;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            int start = lines.get(i).indexOf('{');
            if (start < 0) {
                continue;
            }
            String text = lines.get(i).substring(start).trim();
            int hashAt = text.lastIndexOf(AuditChain.HASH_FIELD);
            JsonObject record;
            try {
                record = new JsonObject(text);
            } catch (DecodeException e) {
                return broken(records, tails.size(), lineNumber, "not a JSON record");
            }
            if (hashAt < 0 || !record.containsKey("seq") || !record.containsKey("instance")) {
                return broken(records, tails.size(), lineNumber, "not an audit record (no seq, instance or hash)");
            }
            records++;
            String body = text.substring(0, hashAt) + "}";
            String hash = record.getString("hash");
            if (!AuditChain.sha256(body).equals(hash)) {
                return broken(records, tails.size(), lineNumber, "hash mismatch: the record was edited");
            }
            String instance = record.getString("instance");
            long seq = record.getLong("seq");
            Tail tail = tails.get(instance);
            long expectedSeq = tail == null ? 1 : tail.seq() + 1;
            String expectedPrev = tail == null ? AuditChain.GENESIS : tail.hash();
            if (seq != expectedSeq) {
                return broken(records, tails.size(), lineNumber, "instance " + instance + ": seq " + seq + " where "
                        + expectedSeq + " was expected: a record was deleted or moved");
            }
            if (!expectedPrev.equals(record.getString("prev"))) {
                return broken(records, tails.size(), lineNumber, "instance " + instance + ": prev does not match the "
                        + "previous record's hash");
            }
            tails.put(instance, new Tail(seq, hash));
        }
        return new Result(records, tails.size(), Optional.empty());
    }

    private static Result broken(int records, int instances, int line, String why) {
        return new Result(records, instances, Optional.of("line " + line + ": " + why));
    }
}
