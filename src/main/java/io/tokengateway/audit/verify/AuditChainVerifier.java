package io.tokengateway.audit.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tokengateway.audit.AuditChain;
import io.tokengateway.audit.AuditKeys;
import io.tokengateway.audit.AuditSigner;
import io.vertx.core.json.JsonObject;

/**
 * Verifies audit trails: the lines of one or many files (instances interleaved, rotated files, log text
 * around the records), the public key, and optionally the checkpoints Redis holds. Each instance lifetime
 * is checked on its own, from its {@code start} record: every record's hash, the {@code seq} order, every
 * {@code prev} link, every checkpoint's signature and the head it signs. The first broken record of each
 * instance is reported with what broke:
 * <ul>
 * <li>{@code edited}: a record's content no longer matches its hash, or a link, or (when the attacker
 * recomputed the chain) the head a signed checkpoint names;
 * <li>{@code missing}: a gap in {@code seq};
 * <li>{@code reordered}: a record out of {@code seq} order (the expected one comes later);
 * <li>{@code truncated}: Redis holds a checkpoint beyond the end of the trail;
 * <li>{@code missing lifetime}: Redis holds checkpoints of an instance with no record in the trail;
 * <li>{@code unsigned tail}: records after the last checkpoint, which no signature covers yet;
 * <li>{@code bad signature}: a checkpoint whose signature does not verify with the key.
 * </ul>
 * Run it with {@code java -jar quarkus-run.jar verify-audit} ({@link VerifyAuditCommand}).
 */
public final class AuditChainVerifier {

    public enum Problem {
        EDITED("edited"),
        MISSING("missing"),
        REORDERED("reordered"),
        TRUNCATED("truncated"),
        MISSING_LIFETIME("missing lifetime"),
        UNSIGNED_TAIL("unsigned tail"),
        BAD_SIGNATURE("bad signature"),
        UNKNOWN_KEY("unknown key");

        private final String label;

        Problem(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One line of a trail and where it was read; {@code unfinished}: the last line of a file that does not end
     * with a line break (a record being appended while the file was read).
     */
    public record Line(String source, int number, String text, boolean unfinished) {
        public Line(String source, int number, String text) {
            this(source, number, text, false);
        }
    }

    /**
     * How to verify.
     *
     * @param keys              the public keys: each lifetime is checked with the key its {@code start} record names
     * @param allowUnsignedTail records after the last checkpoint are a note instead of a break (a running trail)
     * @param exportedAt        when the trail was exported (read from the gateway's sink); with
     *                          {@code allowUnsignedTail}, a checkpoint in Redis beyond the trail's end that is
     *                          younger than {@code exportedAt - tailGrace} was written after the export, not removed
     * @param tailGrace         one checkpoint interval: covers the time between a checkpoint's signing and its
     *                          line reaching the sink, the export's own duration and clock skew; null: the interval
     *                          each lifetime's signed start record names ({@link #DEFAULT_INTERVAL} for a trail
     *                          written before the start record named it)
     * @param since             the period the trail covers begins here: a lifetime whose newest checkpoint in Redis
     *                          is older is not expected in the trail
     */
    /** {@code gateway.audit.checkpoint-interval}'s default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    public record Options(
            List<PublicKey> keys,
            boolean allowUnsignedTail,
            Optional<Instant> exportedAt,
            Duration tailGrace,
            Optional<Instant> since) {

        public static Options of(PublicKey key, boolean allowUnsignedTail) {
            return new Options(
                    List.of(key), allowUnsignedTail, Optional.empty(), Duration.ofSeconds(10), Optional.empty());
        }
    }

    /** The first broken record of an instance. */
    public record Break(String instance, String where, long seq, Problem problem, String detail) {
        @Override
        public String toString() {
            return "instance " + instance + ": " + where + (seq > 0 ? " seq " + seq : "") + ": " + problem.label()
                    + ": " + detail;
        }
    }

    public record Report(int records, int instances, int checkpoints, List<Break> breaks, List<String> notes) {
        public boolean intact() {
            return breaks.isEmpty();
        }
    }

    private record Rec(
            String instance,
            long seq,
            String type,
            String hash,
            String prev,
            JsonObject json,
            boolean hashOk,
            String where,
            int order) {}

    private AuditChainVerifier() {}

    /** Reads a trail file into lines; a last line without its line break is marked unfinished. */
    public static List<Line> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> texts = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        boolean cutShort = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
        List<Line> lines = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            lines.add(new Line(file.toString(), i + 1, texts.get(i), cutShort && i == texts.size() - 1));
        }
        return lines;
    }

    /**
     * @param redisCheckpoints instance to the sealed checkpoint lines Redis holds for it, or null when Redis
     *                         was not consulted
     * @param allowUnsignedTail report records after the last checkpoint as a note instead of a break (a
     *                          trail of a running instance, read within one checkpoint interval)
     */
    public static Report verify(
            List<Line> lines, PublicKey key, Map<String, List<String>> redisCheckpoints, boolean allowUnsignedTail) {
        return verify(lines, redisCheckpoints, Options.of(key, allowUnsignedTail));
    }

    /** @param redisCheckpoints instance to the sealed checkpoint lines Redis holds for it, or null when Redis was not consulted */
    public static Report verify(List<Line> lines, Map<String, List<String>> redisCheckpoints, Options options) {
        boolean allowUnsignedTail = options.allowUnsignedTail();
        Map<String, List<Rec>> byInstance = new LinkedHashMap<>();
        List<Break> breaks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> unreadable = new HashSet<>();
        int order = 0;
        int records = 0;
        for (Line line : lines) {
            int at = line.text().indexOf("{\"seq\":");
            if (at < 0) {
                continue;
            }
            String text = line.text().substring(at).strip();
            String where = line.source() + ":" + line.number();
            Rec rec = parse(text, where, order++);
            if (rec == null && line.unfinished() && allowUnsignedTail) {
                // Appended while the file was read: the next export holds it whole.
                notes.add(where + ": the last line is unfinished (being written when the file was read); ignored");
                continue;
            }
            if (rec == null) {
                String instance = instanceIn(text);
                if (unreadable.add(instance)) {
                    breaks.add(
                            new Break(instance, where, 0, Problem.EDITED, "not a whole audit record (cut or edited)"));
                }
                continue;
            }
            records++;
            byInstance.computeIfAbsent(rec.instance(), i -> new ArrayList<>()).add(rec);
        }
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        options.keys().forEach(k -> keys.put(AuditKeys.fingerprint(k), k));
        int checkpoints = 0;
        for (Map.Entry<String, List<Rec>> entry : byInstance.entrySet()) {
            if (unreadable.contains(entry.getKey())) {
                continue;
            }
            List<String> stored =
                    redisCheckpoints == null ? null : redisCheckpoints.getOrDefault(entry.getKey(), List.of());
            Walk walk = new Walk(entry.getKey(), ordered(entry.getValue()), keys, stored, options, notes);
            Break found = walk.run();
            checkpoints += walk.checkpoints;
            if (found != null) {
                breaks.add(found);
            }
        }
        if (redisCheckpoints != null) {
            redisCheckpoints.forEach((instance, stored) -> {
                if (!byInstance.containsKey(instance) && !stored.isEmpty() && !unreadable.contains(instance)) {
                    Optional<Instant> ended = stored.stream()
                            .map(s -> parse(s, "redis", 0))
                            .filter(r -> r != null)
                            .map(r -> timeOf(r.json()))
                            .flatMap(Optional::stream)
                            .max(Comparator.naturalOrder());
                    if (options.since().isPresent()
                            && ended.isPresent()
                            && ended.get().isBefore(options.since().get())) {
                        notes.add("instance " + instance + ": its lifetime ended (" + ended.get()
                                + ") before --since; not expected in the trail");
                        return;
                    }
                    long first = stored.stream()
                            .map(s -> parse(s, "redis", 0))
                            .filter(r -> r != null)
                            .mapToLong(Rec::seq)
                            .min()
                            .orElse(0);
                    breaks.add(new Break(
                            instance,
                            "Redis", // its key may carry a trust domain: the instance names it
                            first,
                            Problem.MISSING_LIFETIME,
                            "Redis holds " + stored.size()
                                    + " checkpoint(s) of this instance and the trail has none of its records"));
                }
            });
        }
        return new Report(records, byInstance.size(), checkpoints, breaks, notes);
    }

    /** One instance's records in trail order: each source's records in line order, sources by their first seq. */
    private static List<Rec> ordered(List<Rec> records) {
        Map<String, List<Rec>> bySource = new LinkedHashMap<>();
        for (Rec rec : records) {
            bySource.computeIfAbsent(rec.where().substring(0, rec.where().lastIndexOf(':')), s -> new ArrayList<>())
                    .add(rec);
        }
        List<List<Rec>> segments = new ArrayList<>(bySource.values());
        segments.sort(Comparator.comparingLong(segment -> segment.get(0).seq()));
        List<Rec> all = new ArrayList<>(records.size());
        segments.forEach(all::addAll);
        return all;
    }

    private static final class Walk {
        final String instance;
        final List<Rec> records;
        final Map<String, PublicKey> keys;
        final List<String> stored;
        final Options options;
        final boolean allowUnsignedTail;
        final List<String> notes;
        PublicKey key; // the one the start record names
        Duration grace; // the auditor's margin, or the interval the start record names
        int checkpoints;

        Walk(
                String instance,
                List<Rec> records,
                Map<String, PublicKey> keys,
                List<String> stored,
                Options options,
                List<String> notes) {
            this.instance = instance;
            this.records = records;
            this.keys = keys;
            this.stored = stored;
            this.options = options;
            this.allowUnsignedTail = options.allowUnsignedTail();
            this.notes = notes;
        }

        Break run() {
            Map<Long, Rec> bySeq = new HashMap<>();
            records.forEach(r -> bySeq.putIfAbsent(r.seq(), r));
            long expected = 1;
            String prevHash = AuditChain.GENESIS;
            String lastSignature = "";
            Rec previous = null;
            Rec firstUnsigned = null;
            boolean closed = false;
            for (Rec rec : records) {
                if (!rec.hashOk()) {
                    return at(rec, Problem.EDITED, "its content does not match its hash");
                }
                if (rec.seq() != expected) {
                    if (rec.seq() < expected) {
                        return at(rec, Problem.REORDERED, "seq " + rec.seq() + " comes after seq " + (expected - 1));
                    }
                    Rec due = bySeq.get(expected);
                    if (due != null) {
                        return at(
                                rec,
                                Problem.REORDERED,
                                "seq " + expected + " was expected here; it comes later (" + due.where() + ")");
                    }
                    return at(
                            rec,
                            Problem.MISSING,
                            expected == rec.seq() - 1
                                    ? "seq " + expected + " is missing"
                                    : "seq " + expected + " to " + (rec.seq() - 1) + " are missing");
                }
                if (closed) {
                    return at(rec, Problem.EDITED, "a record after the instance's final checkpoint");
                }
                if (!rec.prev().equals(prevHash)) {
                    // The record before was changed and re-hashed: its successor still links to the original.
                    return previous == null
                            ? at(rec, Problem.EDITED, "the first record does not start a chain")
                            : at(
                                    previous,
                                    Problem.EDITED,
                                    "its hash was recomputed, but seq " + rec.seq() + " still links to the original");
                }
                if (rec.seq() == 1) {
                    if (!"start".equals(rec.type())) {
                        return at(rec, Problem.EDITED, "the chain does not begin with a start record");
                    }
                    Long signedInterval = rec.json().getLong("checkpoint_interval_ms");
                    grace = options.tailGrace() != null
                            ? options.tailGrace()
                            : signedInterval != null ? Duration.ofMillis(signedInterval) : DEFAULT_INTERVAL;
                    key = keys.get(rec.json().getString("key_fingerprint"));
                    if (key == null) {
                        return at(
                                rec,
                                Problem.UNKNOWN_KEY,
                                "this lifetime is signed with key " + rec.json().getString("key_fingerprint")
                                        + ", and no --public-key given is that key (given: "
                                        + String.join(", ", keys.keySet()) + ")");
                    }
                }
                if ("checkpoint".equals(rec.type())) {
                    JsonObject cp = rec.json();
                    boolean last = cp.getBoolean("final", false);
                    if (!signatureHolds(cp, instance, key)) {
                        return at(
                                rec,
                                Problem.BAD_SIGNATURE,
                                "the checkpoint's signature does not verify: it was forged or edited");
                    }
                    if (!lastSignature.equals(cp.getString("prev_signature"))) {
                        return at(
                                rec,
                                Problem.EDITED,
                                "the checkpoint does not follow the previous checkpoint's signature");
                    }
                    if (cp.getLong("head_seq", -1L) != rec.seq() - 1
                            || !rec.prev().equals(cp.getString("head_hash"))) {
                        Rec from = firstUnsigned != null ? firstUnsigned : rec;
                        return at(
                                from,
                                Problem.EDITED,
                                "the chain from here to the checkpoint at " + rec.where() + " (seq " + rec.seq()
                                        + ") is not the one it signed: a record in seq " + from.seq() + " to "
                                        + (rec.seq() - 1)
                                        + " was edited, deleted or inserted and the hashes recomputed");
                    }
                    lastSignature = cp.getString("signature");
                    checkpoints++;
                    firstUnsigned = null;
                    closed = last;
                } else if (firstUnsigned == null) {
                    firstUnsigned = rec;
                }
                if ("loss".equals(rec.type())) {
                    notes.add("instance " + instance + ": " + rec.where() + " admits "
                            + rec.json().getValue("lost_records") + " record(s) not written since "
                            + rec.json().getString("since") + " (" + rec.json().getString("cause") + ")");
                }
                prevHash = rec.hash();
                previous = rec;
                expected++;
            }
            if (previous == null) {
                return null;
            }
            if (stored != null) {
                Break fromRedis = compareWithRedis(bySeq, previous);
                if (fromRedis != null) {
                    return fromRedis;
                }
            }
            if (firstUnsigned != null) {
                String what = "seq " + firstUnsigned.seq() + " to " + previous.seq()
                        + " follow the last checkpoint; no signature covers them yet";
                if (!allowUnsignedTail) {
                    return at(firstUnsigned, Problem.UNSIGNED_TAIL, what);
                }
                notes.add("instance " + instance + ": " + what);
            }
            if (!closed && stored == null) {
                notes.add("instance " + instance
                        + ": no final checkpoint (still running, stopped abruptly, or cut after a checkpoint: "
                        + "--redis tells which)");
            }
            return null;
        }

        private Duration grace() {
            return grace != null ? grace : options.tailGrace() != null ? options.tailGrace() : DEFAULT_INTERVAL;
        }

        private Break compareWithRedis(Map<Long, Rec> bySeq, Rec last) {
            Rec newest = null;
            Rec oldest = null;
            Set<Long> storedSeqs = new HashSet<>();
            for (String text : stored) {
                Rec cp = parse(text, "redis", 0);
                if (cp == null
                        || !cp.hashOk()
                        || !"checkpoint".equals(cp.type())
                        || !signatureHolds(cp.json(), instance, key)) {
                    notes.add("instance " + instance + ": Redis holds a checkpoint that does not verify; ignored");
                    continue;
                }
                Rec inTrail = bySeq.get(cp.seq());
                if (inTrail != null && !inTrail.hash().equals(cp.hash())) {
                    return at(inTrail, Problem.EDITED, "the checkpoint differs from its copy in Redis");
                }
                if (newest == null || cp.seq() > newest.seq()) {
                    newest = cp;
                }
                if (oldest == null || cp.seq() < oldest.seq()) {
                    oldest = cp;
                }
                storedSeqs.add(cp.seq());
            }
            noteMissingFromRedis(bySeq, oldest, newest, storedSeqs);
            if (newest == null || newest.seq() <= last.seq()) {
                return null;
            }
            Rec beyond = oldestBeyond(last);
            Optional<Instant> written = timeOf(beyond.json());
            Optional<Instant> lastWritten = timeOf(last.json());
            // Never excused against an export time before the trail's own newest record (less the margin, for clock
            // skew and coarse file times): a wrong time, which would excuse any cut.
            boolean exportTimeHolds = options.exportedAt().isPresent()
                    && lastWritten.isPresent()
                    && !options.exportedAt().get().isBefore(lastWritten.get().minus(grace()));
            if (allowUnsignedTail && exportTimeHolds && written.isPresent()) {
                Instant cutOff = options.exportedAt().get().minus(grace());
                if (!written.get().isBefore(cutOff)) {
                    notes.add("instance " + instance + ": Redis holds checkpoint(s) beyond the trail's end (from seq "
                            + beyond.seq() + ", " + beyond.json().getString("time")
                            + "), signed after the export less one interval (" + cutOff
                            + "): taken as not yet exported");
                    return null;
                }
            }
            return at(
                    last,
                    Problem.TRUNCATED,
                    "the trail ends here, but Redis holds a checkpoint at seq " + beyond.seq() + " ("
                            + beyond.json().getString("time") + "): seq " + (last.seq() + 1)
                            + " onwards were removed");
        }

        /**
         * Checkpoints the trail has and Redis lacks, between the oldest and newest Redis holds (older ones were
         * trimmed by retention; newer ones may not be stored yet): deleted from Redis, or a store that was given up.
         * A note, not a break: the trail itself is not at fault, but a cut there would go unseen.
         */
        private void noteMissingFromRedis(Map<Long, Rec> bySeq, Rec oldest, Rec newest, Set<Long> storedSeqs) {
            if (oldest == null) {
                notes.add("instance " + instance + ": Redis holds no checkpoint of this lifetime (expired, trimmed,"
                        + " deleted or never stored): a cut after its last checkpoint cannot be seen");
                return;
            }
            List<Long> lacking = bySeq.values().stream()
                    .filter(r -> "checkpoint".equals(r.type()))
                    .map(Rec::seq)
                    .filter(seq -> seq > oldest.seq() && seq < newest.seq() && !storedSeqs.contains(seq))
                    .sorted()
                    .toList();
            if (!lacking.isEmpty()) {
                notes.add("instance " + instance + ": Redis lacks " + lacking.size()
                        + " checkpoint(s) the trail has (seq " + lacking.get(0)
                        + (lacking.size() > 1 ? " to " + lacking.get(lacking.size() - 1) : "")
                        + "): deleted from Redis, or never stored");
            }
        }

        /** The first verified checkpoint Redis holds beyond the trail's last record. */
        private Rec oldestBeyond(Rec last) {
            Rec oldest = null;
            for (String text : stored) {
                Rec cp = parse(text, "redis", 0);
                if (cp != null
                        && cp.hashOk()
                        && cp.seq() > last.seq()
                        && signatureHolds(cp.json(), instance, key)
                        && (oldest == null || cp.seq() < oldest.seq())) {
                    oldest = cp;
                }
            }
            return oldest;
        }

        private Break at(Rec rec, Problem problem, String detail) {
            return new Break(instance, rec.where(), rec.seq(), problem, detail);
        }
    }

    static boolean signatureHolds(JsonObject cp, String instance, PublicKey key) {
        try {
            byte[] payload = AuditSigner.payload(
                    instance,
                    cp.getLong("head_seq"),
                    cp.getString("head_hash"),
                    cp.getString("prev_signature"),
                    cp.getString("time"),
                    cp.getBoolean("final", false));
            return AuditSigner.verify(key, payload, cp.getString("signature"));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static Optional<Instant> timeOf(JsonObject record) {
        try {
            return Optional.of(Instant.parse(record.getString("time", "")));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private static Rec parse(String text, String where, int order) {
        int hashAt = text.lastIndexOf(AuditChain.HASH_FIELD);
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (RuntimeException e) {
            return null;
        }
        Object seq = json.getValue("seq");
        if (hashAt < 0
                || !(seq instanceof Number)
                || !(json.getValue("instance") instanceof String)
                || !(json.getValue("hash") instanceof String)
                || !(json.getValue("prev") instanceof String)) {
            return null;
        }
        // The hash field must close the line: anything after it (an added or repeated field) is covered by no hash.
        boolean sealedLast = text.length() == hashAt + AuditChain.HASH_FIELD.length() + 64 + 2 && text.endsWith("\"}");
        boolean hashOk =
                sealedLast && AuditChain.sha256(text.substring(0, hashAt) + "}").equals(json.getString("hash"));
        return new Rec(
                json.getString("instance"),
                ((Number) seq).longValue(),
                json.getString("type", ""),
                json.getString("hash"),
                json.getString("prev"),
                json,
                hashOk,
                where,
                order);
    }

    private static String instanceIn(String text) {
        int at = text.indexOf("\"instance\":\"");
        if (at < 0) {
            return "?";
        }
        int end = text.indexOf('"', at + 12);
        return end < 0 ? "?" : text.substring(at + 12, end);
    }
}
