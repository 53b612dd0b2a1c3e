package io.tokengateway.policy;

import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a new policy changes in one kind of entry (callers, or merchants): the ids added, removed and changed,
 * for the {@code policy} audit record. Values are compared with {@code equals}; a merchant's credentials
 * compare by their content, so a rotated password shows the merchant as changed, and the record says no more.
 */
public record PolicyChange(SortedSet<String> added, SortedSet<String> removed, SortedSet<String> changed) {

    public PolicyChange {
        added = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(added));
        removed = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(removed));
        changed = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(changed));
    }

    public static PolicyChange between(Map<String, ?> before, Map<String, ?> after) {
        SortedSet<String> added = new TreeSet<>(after.keySet());
        added.removeAll(before.keySet());
        SortedSet<String> removed = new TreeSet<>(before.keySet());
        removed.removeAll(after.keySet());
        SortedSet<String> changed = new TreeSet<>();
        before.forEach((id, value) -> {
            if (after.containsKey(id) && !Objects.equals(value, after.get(id))) {
                changed.add(id);
            }
        });
        return new PolicyChange(added, removed, changed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
}
