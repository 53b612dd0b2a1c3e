package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class AuditChainVerifierTest {

    static List<String> chain(AuditChain chain, int records) {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= records; i++) {
            lines.add(chain.seal(new JsonObject().put("correlation_id", "c-" + i).put("decision", "allowed").put("status", 200)));
        }
        return lines;
    }

    @Test
    void anIntactChainVerifies() {
        AuditChainVerifier.Result result = AuditChainVerifier.verify(chain(new AuditChain("i-1"), 5));
        assertEquals(new AuditChainVerifier.Result(5, 1, Optional.empty()), result);
    }

    @Test
    void interleavedInstancesAndLogPrefixesVerify() {
        List<String> a = chain(new AuditChain("i-a"), 3);
        List<String> b = chain(new AuditChain("i-b"), 3);
        List<String> mixed = List.of("2026-11-22 INFO audit " + a.get(0), b.get(0), a.get(1), "not a record", b.get(1), b.get(2), a.get(2));
        assertEquals(new AuditChainVerifier.Result(6, 2, Optional.empty()), AuditChainVerifier.verify(mixed));
    }

    @Test
    void anEditedRecordIsFound() {
        List<String> lines = chain(new AuditChain("i-1"), 5);
        lines.set(2, lines.get(2).replace("\"status\":200", "\"status\":201"));
        assertEquals(Optional.of("line 3: hash mismatch: the record was edited"), AuditChainVerifier.verify(lines).firstBreak());
    }

    @Test
    void anEditedRecordWithARecomputedHashIsFoundByItsSuccessor() {
        List<String> lines = chain(new AuditChain("i-1"), 5);
        String edited = lines.get(2).replace("\"status\":200", "\"status\":201");
        String body = edited.substring(0, edited.lastIndexOf(AuditChain.HASH_FIELD)) + "}";
        lines.set(2, body.substring(0, body.length() - 1) + AuditChain.HASH_FIELD + AuditChain.sha256(body) + "\"}");
        assertTrue(AuditChainVerifier.verify(lines).firstBreak().orElseThrow().startsWith("line 4: instance i-1: prev does not match"));
    }

    @Test
    void aDeletedRecordIsFound() {
        List<String> lines = chain(new AuditChain("i-1"), 5);
        lines.remove(2);
        assertEquals(Optional.of("line 3: instance i-1: seq 4 where 3 was expected: a record was deleted or moved"),
                AuditChainVerifier.verify(lines).firstBreak());
    }

    @Test
    void aDeletedFirstRecordIsFound() {
        List<String> lines = chain(new AuditChain("i-1"), 3);
        lines.remove(0);
        assertTrue(AuditChainVerifier.verify(lines).firstBreak().orElseThrow().startsWith("line 1: instance i-1: seq 2 where 1"));
    }

    @Test
    void reorderedRecordsAreFound() {
        List<String> lines = chain(new AuditChain("i-1"), 5);
        Collections.swap(lines, 1, 3);
        assertTrue(AuditChainVerifier.verify(lines).firstBreak().orElseThrow().startsWith("line 2: instance i-1: seq 4 where 2"));
    }
}
