package io.tokengateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class PolicyHolderTest {

    @Test
    void aRequestKeepsItsSnapshotAcrossASwap() {
        PolicyHolder<String> holder = new PolicyHolder<>("v1", live -> {});
        PolicyHolder<String>.Lease running = holder.acquire();

        holder.swap("v2");

        assertEquals("v1", running.policy());
        assertEquals("v2", holder.acquire().policy());
        assertEquals("v2", holder.current());
    }

    @Test
    void aReplacedSnapshotDrainsOnlyWhenItsLastRequestEnds() {
        List<List<String>> drains = new CopyOnWriteArrayList<>();
        PolicyHolder<String> holder = new PolicyHolder<>("v1", drains::add);
        PolicyHolder<String>.Lease first = holder.acquire();
        PolicyHolder<String>.Lease second = holder.acquire();

        holder.swap("v2");
        first.release();
        assertEquals(List.of(), drains, "v1 still has a request running");

        second.release();
        second.release(); // a second release is no release
        assertEquals(List.of(List.of("v2")), drains);
    }

    @Test
    void aSnapshotWithoutRequestsDrainsAtTheSwap() {
        List<List<String>> drains = new CopyOnWriteArrayList<>();
        PolicyHolder<String> holder = new PolicyHolder<>("v1", drains::add);

        holder.swap("v2");

        assertEquals(List.of(List.of("v2")), drains);
    }

    /**
     * Many requests while the policy is swapped every millisecond: each sees one snapshot throughout, and no
     * snapshot is reported drained (its resources closed) while a request still holds it.
     */
    @Test
    void noSnapshotIsDrainedUnderARequestThatHoldsIt() throws Exception {
        Set<Integer> held = ConcurrentHashMap.newKeySet();
        List<String> violations = new CopyOnWriteArrayList<>();
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> holders =
                new ConcurrentHashMap<>();
        Set<Integer> drained = ConcurrentHashMap.newKeySet();
        PolicyHolder<Integer>[] box = new PolicyHolder[1];
        box[0] = new PolicyHolder<>(0, live -> {
            for (int version = 0; version < live.get(0); version++) { // live.get(0): current when it drained
                if (!live.contains(version)) {
                    drained.add(version);
                }
            }
            holders.forEach((version, count) -> {
                if (version < live.get(0) && count.get() > 0 && !live.contains(version)) {
                    violations.add("v" + version + " reported drained with " + count.get() + " requests on it");
                }
            });
        });
        PolicyHolder<Integer> holder = box[0];
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch started = new CountDownLatch(8);
        List<Future<Integer>> requests = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            requests.add(pool.submit(() -> {
                started.countDown();
                int served = 0;
                while (!stop.get()) {
                    PolicyHolder<Integer>.Lease lease = holder.acquire();
                    int version = lease.policy();
                    holders.computeIfAbsent(version, v -> new java.util.concurrent.atomic.AtomicInteger())
                            .incrementAndGet();
                    if (drained.contains(version)) {
                        violations.add("a request started on drained v" + version);
                    }
                    held.add(version);
                    Thread.yield(); // the request's work
                    if (lease.policy() != version) {
                        violations.add("a request changed snapshot");
                    }
                    holders.get(version).decrementAndGet();
                    lease.release();
                    served++;
                }
                return served;
            }));
        }
        assertTrue(started.await(30, TimeUnit.SECONDS));
        for (int version = 1; version <= 300; version++) {
            holder.swap(version);
            TimeUnit.MILLISECONDS.sleep(1); // the swap cadence under test, not synchronisation
        }
        stop.set(true);
        int served = 0;
        for (Future<Integer> request : requests) {
            served += request.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(List.of(), violations);
        assertTrue(served > 0 && held.size() > 1, "requests ran under several versions: " + held.size());
    }
}
