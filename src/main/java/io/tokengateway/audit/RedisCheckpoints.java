package io.tokengateway.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Copies every checkpoint to Redis: a sorted set per instance lifetime, {@code tg:audit:checkpoint:{<instance>}}
 * or, with a trust domain ({@code gateway.audit.trust-domain}), {@code tg:audit:checkpoint:{<domain>:<instance>}}
 * (so a sidecar namespace's ACL user can be limited to its own domain's keys), scored by seq and kept for the retention period. The copy is what lets a verifier see a trail cut after
 * a checkpoint, or a whole lifetime deleted. Non-blocking: a checkpoint that cannot be stored stays queued
 * (up to a bound) and goes with the next one; failures are logged and counted, never fail a request.
 */
final class RedisCheckpoints {

    static final String KEY_PREFIX = "tg:audit:checkpoint:";
    private static final Logger LOG = Logger.getLogger(RedisCheckpoints.class);
    private static final int MAX_PENDING = 10_000;

    private record Pending(String instance, long seq, String line) {}

    /** What a trust domain may be: it must not carry a glob or a brace into an ACL pattern or the hash tag. */
    static final java.util.regex.Pattern DOMAIN = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final ReactiveRedisDataSource redis;
    private final String domain;
    private final String retentionMillis;
    private final Counter failures;
    private final Deque<Pending> pending = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean failing;

    RedisCheckpoints(ReactiveRedisDataSource redis, String domain, Duration retention, Counter failures) {
        if (!domain.isEmpty() && !DOMAIN.matcher(domain).matches()) {
            throw new IllegalStateException(
                    "gateway.audit.trust-domain may hold letters, digits, '.', '_' and '-' only (e.g. a namespace)");
        }
        this.redis = redis;
        this.domain = domain;
        this.retentionMillis = Long.toString(retention.toMillis());
        this.failures = failures;
    }

    /** The key of a central gateway's lifetime (no trust domain). */
    static String key(String instance) {
        return key("", instance);
    }

    static String key(String domain, String instance) {
        return KEY_PREFIX + "{" + (domain.isEmpty() ? "" : domain + ":") + instance + "}";
    }

    /** The instance id a checkpoint key names, with or without a trust domain (instance ids hold no ':'). */
    static String instanceOf(String key) {
        String tag = key.substring(KEY_PREFIX.length()).replace("{", "").replace("}", "");
        return tag.substring(tag.lastIndexOf(':') + 1);
    }

    void publish(String instance, long seq, String line) {
        pending.add(new Pending(instance, seq, line));
        while (pending.size() > MAX_PENDING) {
            pending.pollFirst();
        }
        send().subscribe().with(ok -> {}, failure -> {});
    }

    /** Blocks until every pending checkpoint is stored or {@code patience} has passed: for shutdown and tests, never the event loop. */
    boolean awaitStored(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!pending.isEmpty() && System.nanoTime() - deadline < 0) {
            if (sending.get()) {
                LockSupport.parkNanos(
                        Duration.ofMillis(5).toNanos()); // a send is under way: its end re-sends what is left
                continue;
            }
            try {
                send().await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                return false;
            }
        }
        return pending.isEmpty();
    }

    /** Sends what is pending; completes when it is stored (or nothing was pending, or another send is under way). */
    Uni<Void> send() {
        if (pending.isEmpty() || !sending.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        List<Pending> batch = new ArrayList<>(pending);
        String instance = batch.get(0).instance();
        List<String> args = new ArrayList<>();
        args.add(key(domain, instance));
        for (Pending p : batch) {
            if (p.instance().equals(instance)) {
                args.add(Long.toString(p.seq()));
                args.add(p.line());
            }
        }
        return redis.execute("ZADD", args.toArray(String[]::new))
                .chain(() -> redis.execute("PEXPIRE", key(domain, instance), retentionMillis))
                .onItemOrFailure()
                .transformToUni((ok, failure) -> {
                    sending.set(false);
                    if (failure != null) {
                        failures.increment();
                        if (!failing) {
                            LOG.warnf(
                                    "Audit checkpoint not stored in Redis (%s); it is retried with the next one",
                                    failure.getClass().getSimpleName());
                        }
                        failing = true;
                        return Uni.createFrom().failure(failure);
                    }
                    failing = false;
                    pending.removeAll(batch);
                    return pending.isEmpty() ? Uni.createFrom().voidItem() : send();
                });
    }
}
