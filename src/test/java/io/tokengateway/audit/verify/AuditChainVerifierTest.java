package io.tokengateway.audit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.tokengateway.audit.AuditChain;
import io.tokengateway.audit.AuditKeys;
import io.tokengateway.audit.Trails;
import io.tokengateway.audit.verify.AuditChainVerifier.Break;
import io.tokengateway.audit.verify.AuditChainVerifier.Line;
import io.tokengateway.audit.verify.AuditChainVerifier.Problem;
import io.tokengateway.audit.verify.AuditChainVerifier.Report;
import io.vertx.core.json.JsonObject;

/**
 * Trails written by the real writer, then tampered with as an attacker without the private key would:
 * every change is found, at the record where it was made (or, when the hashes were recomputed, in the
 * range the failing signature covers), and named for what it is.
 */
class AuditChainVerifierTest {

    // One lifetime: seq 1 start, 2 checkpoint, 3-7 records, 8 checkpoint, 9-13, 14 checkpoint, 15-19, 20 checkpoint, 21
    // final.
    static final Trails.Running LIFETIME = Trails.finished("i-1", 3, 5);

    static List<String> lines() {
        return new ArrayList<>(LIFETIME.sink.lines);
    }

    static List<Line> trail(List<String> texts) {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            lines.add(new Line("audit.log", i + 1, texts.get(i)));
        }
        return lines;
    }

    static Report verify(List<String> texts) {
        return AuditChainVerifier.verify(trail(texts), Trails.KEYS.getPublic(), null, false);
    }

    static Report verify(List<String> texts, Map<String, List<String>> redis) {
        return AuditChainVerifier.verify(trail(texts), Trails.KEYS.getPublic(), redis, false);
    }

    static Break onlyBreak(Report report) {
        assertEquals(1, report.breaks().size(), () -> "breaks: " + report.breaks());
        return report.breaks().get(0);
    }

    static int indexOfSeq(List<String> texts, long seq) {
        for (int i = 0; i < texts.size(); i++) {
            if (new JsonObject(texts.get(i)).getLong("seq") == seq) {
                return i;
            }
        }
        throw new AssertionError("no seq " + seq);
    }

    /** What an attacker can do without the key: rewrite from {@code from} on, recomputing every prev and hash. */
    static void recomputeFrom(List<String> texts, int from) {
        String previous = new JsonObject(texts.get(from - 1)).getString("hash");
        for (int i = from; i < texts.size(); i++) {
            JsonObject record = new JsonObject(texts.get(i));
            record.remove("hash");
            record.put("prev", previous);
            String body = record.encode();
            previous = AuditChain.sha256(body);
            texts.set(i, body.substring(0, body.length() - 1) + AuditChain.HASH_FIELD + previous + "\"}");
        }
    }

    @Test
    void anIntactTrailVerifies() {
        Report report = verify(lines());
        assertEquals(List.of(), report.breaks());
        assertEquals(21, report.records());
        assertEquals(1, report.instances());
        assertEquals(5, report.checkpoints());
    }

    @Test
    void interleavedInstancesLogPrefixesAndOtherLinesVerify() {
        Trails.Running other = Trails.finished("i-2", 2, 3);
        List<String> mixed = new ArrayList<>();
        List<String> a = lines();
        List<String> b = new ArrayList<>(other.sink.lines);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                mixed.add(i % 3 == 0 ? "2026-11-22 INFO stdout " + a.get(i) : a.get(i));
            }
            mixed.add("2026-11-22 12:00:00 INFO [io.quarkus] some log line {\"not\":\"a record\"}");
            if (i < b.size()) {
                mixed.add(b.get(i));
            }
        }
        Report report = verify(mixed);
        assertEquals(List.of(), report.breaks());
        assertEquals(2, report.instances());
    }

    @Test
    void anEditedRecordIsFoundByItsHash() {
        List<String> texts = lines();
        int at = indexOfSeq(texts, 10);
        texts.set(at, texts.get(at).replace("\"status\":200", "\"status\":201"));
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.EDITED, found.problem());
        assertEquals(10, found.seq());
        assertEquals("audit.log:" + (at + 1), found.where());
    }

    @Test
    void aFieldAddedAfterTheHashIsAnEdit() {
        List<String> texts = lines();
        int at = indexOfSeq(texts, 10);
        String line = texts.get(at);
        // JSON keeps the last of two equal keys: appended after the hash, it would overwrite what the hash covers.
        texts.set(at, line.substring(0, line.length() - 1) + ",\"status\":500}");
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.EDITED, found.problem());
        assertEquals(10, found.seq());
    }

    @Test
    void anEditedRecordWithItsOwnHashRecomputedIsFoundThroughItsSuccessor() {
        List<String> texts = lines();
        int at = indexOfSeq(texts, 10);
        texts.set(at, texts.get(at).replace("\"status\":200", "\"status\":201"));
        List<String> rehashed = new ArrayList<>(texts.subList(0, at + 1));
        recomputeFrom(rehashed, at);
        texts.set(at, rehashed.get(at));
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.EDITED, found.problem());
        assertEquals(10, found.seq(), found::toString);
    }

    @Test
    void anEditWithTheWholeChainRecomputedBreaksTheNextSignedCheckpoint() {
        List<String> texts = lines();
        int at = indexOfSeq(texts, 10);
        texts.set(at, texts.get(at).replace("\"status\":200", "\"status\":201"));
        recomputeFrom(texts, at);
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.EDITED, found.problem());
        // Every hash links up: only the checkpoint at seq 14 (signed head: seq 13) can tell, so the break is the
        // range it covers, from the first record after the last good checkpoint (seq 8).
        assertEquals(9, found.seq(), found::toString);
        assertTrue(found.detail().contains("seq 9 to 13"), found::toString);
    }

    @Test
    void aCheckpointForgedToMatchARecomputedChainFailsItsSignature() {
        List<String> texts = lines();
        int at = indexOfSeq(texts, 10);
        texts.set(at, texts.get(at).replace("\"status\":200", "\"status\":201"));
        recomputeFrom(texts, at);
        int checkpoint = indexOfSeq(texts, 14);
        JsonObject forged = new JsonObject(texts.get(checkpoint));
        forged.put("head_hash", forged.getString("prev"));
        texts.set(checkpoint, forged.encode());
        recomputeFrom(texts, checkpoint);
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.BAD_SIGNATURE, found.problem());
        assertEquals(14, found.seq());
    }

    @Test
    void aDeletedRecordIsMissing() {
        List<String> texts = lines();
        texts.remove(indexOfSeq(texts, 5));
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.MISSING, found.problem());
        assertEquals(6, found.seq());
        assertEquals("seq 5 is missing", found.detail());
    }

    @Test
    void twoSwappedRecordsAreReordered() {
        List<String> texts = lines();
        Collections.swap(texts, indexOfSeq(texts, 4), indexOfSeq(texts, 6));
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.REORDERED, found.problem());
        assertEquals(6, found.seq());
        assertEquals("audit.log:" + (indexOfSeq(lines(), 4) + 1), found.where());
    }

    @Test
    void aTailCutAfterACheckpointIsTruncatedAgainstTheCheckpointsInRedis() {
        List<String> texts = lines();
        List<String> cut = new ArrayList<>(texts.subList(0, indexOfSeq(texts, 14) + 1));
        // The cut trail ends on a genuine checkpoint: alone, it looks like an instance still running.
        Report alone = verify(cut);
        assertEquals(List.of(), alone.breaks());
        assertTrue(alone.notes().stream().anyMatch(n -> n.contains("no final checkpoint")), alone.notes()::toString);

        Break found = onlyBreak(verify(cut, LIFETIME.checkpoints));
        assertEquals(Problem.TRUNCATED, found.problem());
        assertEquals(14, found.seq());
        assertTrue(found.detail().contains("checkpoint at seq 20"), found::toString); // the first that proves the cut
    }

    @Test
    void recordsAfterTheLastCheckpointAreAnUnsignedTail() {
        List<String> texts = lines();
        List<String> cut = new ArrayList<>(texts.subList(0, indexOfSeq(texts, 17) + 1));
        Break found = onlyBreak(verify(cut));
        assertEquals(Problem.UNSIGNED_TAIL, found.problem());
        assertEquals(15, found.seq());
        Report tolerated = AuditChainVerifier.verify(trail(cut), Trails.KEYS.getPublic(), null, true);
        assertEquals(List.of(), tolerated.breaks());
        // With Redis, the same cut is known to be a truncation, not a tail still to be signed.
        assertEquals(
                Problem.TRUNCATED, onlyBreak(verify(cut, LIFETIME.checkpoints)).problem());
    }

    @Test
    void aRemovedInstanceIsAMissingLifetimeAgainstRedis() {
        Trails.Running other = Trails.finished("i-2", 1, 2);
        Map<String, List<String>> redis = new HashMap<>(LIFETIME.checkpoints);
        redis.putAll(other.checkpoints);
        // Only i-1's records: every line of i-2 was removed.
        assertEquals(List.of(), verify(lines()).breaks());
        Break found = onlyBreak(verify(lines(), redis));
        assertEquals(Problem.MISSING_LIFETIME, found.problem());
        assertEquals("i-2", found.instance());
        assertEquals(
                new JsonObject(other.checkpoints.get("i-2").get(0)).getLong("seq"),
                found.seq(),
                "its first checkpoint");
    }

    @Test
    void aCheckpointThatDiffersFromItsCopyInRedisIsEdited() {
        Map<String, List<String>> redis =
                Map.of("i-1", List.of(LIFETIME.checkpoints.get("i-1").get(1).replace("\"time\":\"", "\"time\":\"1")));
        Report report = verify(lines(), redis);
        // A copy that does not verify is ignored (and said so): Redis is not trusted more than the key.
        assertEquals(List.of(), report.breaks());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("does not verify")), report.notes()::toString);
    }

    @Test
    void aTrailSignedWithAnotherKeyIsRejected() {
        Report report =
                AuditChainVerifier.verify(trail(lines()), AuditKeys.generate().getPublic(), null, false);
        Break found = onlyBreak(report);
        assertEquals(Problem.UNKNOWN_KEY, found.problem());
        assertEquals(1, found.seq());
    }

    @Test
    void aCutLineIsEdited() {
        List<String> texts = lines();
        int at = indexOfSeq(texts, 11);
        texts.set(at, texts.get(at).substring(0, 40));
        Break found = onlyBreak(verify(texts));
        assertEquals(Problem.EDITED, found.problem());
        assertEquals("audit.log:" + (at + 1), found.where());
    }

    @Test
    void rotatedFilesGivenInAnyOrderVerify() {
        List<String> texts = lines();
        List<Line> rotated = new ArrayList<>();
        for (int i = 12; i < texts.size(); i++) {
            rotated.add(new Line("audit.log", i - 11, texts.get(i)));
        }
        for (int i = 0; i < 12; i++) {
            rotated.add(new Line("audit.log.1", i + 1, texts.get(i)));
        }
        assertEquals(
                List.of(),
                AuditChainVerifier.verify(rotated, Trails.KEYS.getPublic(), LIFETIME.checkpoints, false)
                        .breaks());
    }

    static AuditChainVerifier.Options running(Instant exportedAt) {
        return new AuditChainVerifier.Options(
                List.of(Trails.KEYS.getPublic()),
                true,
                Optional.of(exportedAt),
                Duration.ofSeconds(1),
                Optional.empty());
    }

    @Test
    void anExportTimeSetBackBeforeTheTrailsOwnRecordsExcusesNoCut() {
        // A cut after seq 13: Redis holds later checkpoints. Whoever cut the files sets the export time back (as a
        // file time could be) so that every later checkpoint would look "signed after the export".
        List<String> texts = lines();
        List<String> cut = new ArrayList<>(texts.subList(0, indexOfSeq(texts, 13) + 1));
        Break found = onlyBreak(AuditChainVerifier.verify(trail(cut), LIFETIME.checkpoints, running(Instant.EPOCH)));
        assertEquals(Problem.TRUNCATED, found.problem());
    }

    @Test
    void aCheckpointInRedisSignedAfterTheExportIsNotYetExportedButAnOlderOneIsATruncation() {
        List<String> texts = lines();
        // Exported just before seq 20, the next checkpoint, was written; Redis holds seq 20 and 21.
        List<String> exported = new ArrayList<>(texts.subList(0, indexOfSeq(texts, 19) + 1));
        Instant signed = Instant.parse(new JsonObject(texts.get(indexOfSeq(texts, 20))).getString("time"));

        Report running = AuditChainVerifier.verify(trail(exported), LIFETIME.checkpoints, running(signed));
        assertEquals(List.of(), running.breaks());
        assertTrue(running.notes().stream().anyMatch(n -> n.contains("not yet exported")), running.notes()::toString);
        // Signed within one interval before the export (its line reached the sink just after the read).
        assertEquals(
                List.of(),
                AuditChainVerifier.verify(trail(exported), LIFETIME.checkpoints, running(signed.plusMillis(900)))
                        .breaks());

        // The same trail exported more than one interval after seq 20 was signed: seq 15 to 20 were removed.
        Break found = onlyBreak(
                AuditChainVerifier.verify(trail(exported), LIFETIME.checkpoints, running(signed.plusMillis(1001))));
        assertEquals(Problem.TRUNCATED, found.problem());
        assertTrue(found.detail().contains("checkpoint at seq 20"), found::toString);
        // Without --allow-unsigned-tail the time does not excuse it.
        AuditChainVerifier.Options strict = new AuditChainVerifier.Options(
                List.of(Trails.KEYS.getPublic()), false, Optional.of(signed), Duration.ofSeconds(1), Optional.empty());
        assertEquals(
                Problem.TRUNCATED,
                onlyBreak(AuditChainVerifier.verify(trail(exported), LIFETIME.checkpoints, strict))
                        .problem());
    }

    @Test
    void anUnfinishedLastLineIsIgnoredOnlyForARunningTrail() {
        List<String> texts = lines();
        List<Line> read = trail(new ArrayList<>(texts.subList(0, indexOfSeq(texts, 16) + 1)));
        Line last = read.remove(read.size() - 1);
        read.add(new Line(last.source(), last.number(), last.text().substring(0, 40), true));
        Report running = AuditChainVerifier.verify(read, null, running(Instant.now()));
        assertEquals(List.of(), running.breaks());
        assertTrue(running.notes().stream().anyMatch(n -> n.contains("unfinished")), running.notes()::toString);
        assertEquals(
                Problem.EDITED,
                onlyBreak(AuditChainVerifier.verify(read, Trails.KEYS.getPublic(), null, false))
                        .problem());
    }

    @Test
    void eachLifetimeIsCheckedWithTheKeyItsStartRecordNames() {
        KeyPair rotated = AuditKeys.generate();
        Trails.Running after = Trails.finished("i-2", 2, 3, rotated);
        List<String> both = lines();
        both.addAll(after.sink.lines);
        Map<String, List<String>> redis = new HashMap<>(LIFETIME.checkpoints);
        redis.putAll(after.checkpoints);
        AuditChainVerifier.Options twoKeys = new AuditChainVerifier.Options(
                List.of(Trails.KEYS.getPublic(), rotated.getPublic()),
                false,
                Optional.empty(),
                Duration.ofSeconds(10),
                Optional.empty());
        Report report = AuditChainVerifier.verify(trail(both), redis, twoKeys);
        assertEquals(List.of(), report.breaks());
        assertEquals(2, report.instances());

        Break found = onlyBreak(AuditChainVerifier.verify(trail(both), Trails.KEYS.getPublic(), redis, false));
        assertEquals(Problem.UNKNOWN_KEY, found.problem());
        assertEquals("i-2", found.instance());
        assertTrue(found.detail().contains(AuditKeys.fingerprint(rotated.getPublic())), found::toString);
    }

    @Test
    void aLifetimeThatEndedBeforeSinceIsNotMissing() {
        Trails.Running other = Trails.finished("i-2", 1, 2);
        Map<String, List<String>> redis = new HashMap<>(LIFETIME.checkpoints);
        redis.putAll(other.checkpoints);
        List<String> otherCheckpoints = other.checkpoints.get("i-2");
        Instant ended =
                Instant.parse(new JsonObject(otherCheckpoints.get(otherCheckpoints.size() - 1)).getString("time"));
        AuditChainVerifier.Options afterIt = new AuditChainVerifier.Options(
                List.of(Trails.KEYS.getPublic()),
                false,
                Optional.empty(),
                Duration.ofSeconds(10),
                Optional.of(ended.plusMillis(1)));
        Report report = AuditChainVerifier.verify(trail(lines()), redis, afterIt);
        assertEquals(List.of(), report.breaks());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("before --since")), report.notes()::toString);

        AuditChainVerifier.Options beforeItEnded = new AuditChainVerifier.Options(
                List.of(Trails.KEYS.getPublic()),
                false,
                Optional.empty(),
                Duration.ofSeconds(10),
                Optional.of(ended.minusMillis(1)));
        assertEquals(
                Problem.MISSING_LIFETIME,
                onlyBreak(AuditChainVerifier.verify(trail(lines()), redis, beforeItEnded))
                        .problem());
    }

    @Test
    void aCheckpointDeletedFromRedisIsNoted() {
        List<String> stored = new ArrayList<>(LIFETIME.checkpoints.get("i-1"));
        stored.remove(2); // seq 14: between the oldest and the newest Redis holds
        Report report = verify(lines(), Map.of("i-1", stored));
        assertEquals(List.of(), report.breaks());
        assertTrue(
                report.notes().stream().anyMatch(n -> n.contains("Redis lacks 1 checkpoint(s) the trail has (seq 14)")),
                report.notes()::toString);
    }
}
