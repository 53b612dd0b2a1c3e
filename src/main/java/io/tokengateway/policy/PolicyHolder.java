package io.tokengateway.policy;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The current policy snapshot, swapped atomically, and the snapshots requests still run under. A request takes a
 * {@link Lease} when it starts and releases it when it ends: it runs under that one snapshot from start to end,
 * whatever swaps happen meanwhile. When a replaced snapshot's last lease is released, {@code onDrained} hears
 * which snapshots are still live, so resources only a drained snapshot used (a merchant's provider client built
 * for old credentials) can be closed: never while a request may still use them.
 *
 * @param <P> the snapshot type (immutable)
 */
public final class PolicyHolder<P> {

    private final AtomicReference<Counted<P>> current;
    private final Map<Counted<P>, Boolean> draining = new IdentityHashMap<>();
    private final Consumer<List<P>> onDrained;

    /** A snapshot and the requests running under it. */
    private static final class Counted<P> {
        final P snapshot;
        final AtomicInteger inFlight = new AtomicInteger();

        Counted(P snapshot) {
            this.snapshot = snapshot;
        }
    }

    /** One request's hold on its snapshot; release it exactly once, when the request has ended. */
    public final class Lease {
        private final Counted<P> counted;
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();

        private Lease(Counted<P> counted) {
            this.counted = counted;
        }

        public P policy() {
            return counted.snapshot;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                PolicyHolder.this.release(counted);
            }
        }
    }

    /**
     * @param initial   the policy at start
     * @param onDrained called with the snapshots still live (the current one first) each time a replaced one
     *                  has drained; on the thread that released its last lease or swapped it out
     */
    public PolicyHolder(P initial, Consumer<List<P>> onDrained) {
        this.current = new AtomicReference<>(new Counted<>(initial));
        this.onDrained = onDrained;
    }

    /** The current snapshot, for what is not a request (metrics, the reload that compares against it). */
    public P current() {
        return current.get().snapshot;
    }

    /** The current snapshot and every replaced one a request still runs under, current first. */
    public List<P> live() {
        synchronized (draining) {
            List<P> live = new ArrayList<>();
            live.add(current.get().snapshot);
            draining.keySet().forEach(c -> live.add(c.snapshot));
            return List.copyOf(live);
        }
    }

    /** The current snapshot, held until {@link Lease#release()}: never one already drained. */
    public Lease acquire() {
        while (true) {
            Counted<P> counted = current.get();
            counted.inFlight.incrementAndGet();
            if (current.get() == counted) {
                return new Lease(counted);
            }
            // swapped between the read and the count: a drain check may already have let it go
            release(counted);
        }
    }

    /** Makes {@code next} current for every request that starts from now on; returns the one it replaced. */
    public P swap(P next) {
        Counted<P> previous;
        // Under the lock a sweep takes: no sweep may see the previous snapshot neither current nor draining.
        synchronized (draining) {
            previous = current.getAndSet(new Counted<>(next));
            draining.put(previous, Boolean.TRUE);
        }
        sweep();
        return previous.snapshot;
    }

    private void release(Counted<P> counted) {
        if (counted.inFlight.decrementAndGet() == 0 && current.get() != counted) {
            sweep();
        }
    }

    private void sweep() {
        List<P> live;
        synchronized (draining) {
            boolean drained = draining.keySet().removeIf(c -> c.inFlight.get() == 0);
            if (!drained) {
                return;
            }
            live = new ArrayList<>();
            live.add(current.get().snapshot);
            draining.keySet().forEach(c -> live.add(c.snapshot));
            onDrained.accept(List.copyOf(live));
        }
    }
}
