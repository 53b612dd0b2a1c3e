package io.tokengateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PolicyChangeTest {

    @Test
    void namesTheIdsAddedRemovedAndChanged() {
        PolicyChange change = PolicyChange.between(
                Map.of("team-a", "read", "team-b", "read", "team-c", "read"),
                Map.of("team-a", "read", "team-b", "read,create", "team-d", "read"));

        assertEquals(Set.of("team-d"), change.added());
        assertEquals(Set.of("team-c"), change.removed());
        assertEquals(Set.of("team-b"), change.changed());
    }

    @Test
    void theSamePolicyChangesNothing() {
        assertTrue(PolicyChange.between(Map.of("m1", 1), Map.of("m1", 1)).isEmpty());
    }
}
