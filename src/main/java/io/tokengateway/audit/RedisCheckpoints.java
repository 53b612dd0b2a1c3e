package io.tokengateway.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import io.vertx.core.json.JsonObject;

/**
 * Copies every checkpoint to Redis: a sorted set per instance lifetime, {@code tg:audit:checkpoint:{<instance>}}
 * or, with a trust domain ({@code gateway.audit.trust-domain}), {@code tg:audit:checkpoint:{<domain>:<instance>}}
 * (so a sidecar namespace's ACL user can be limited to its own domain's keys), scored by seq and kept for the retention period. The copy is what lets a verifier see a trail cut after
 * a checkpoint, or a whole lifetime deleted. Non-blocking: a checkpoint that cannot be stored stays queued
 * (up to a bound) and goes with the next one; failures are logged and counted, never fail a request.
 *
 * <p>Retention applies twice: the key expires that long after its last checkpoint (a lifetime that ended), and
 * with every store the checkpoints of a running lifetime signed longer ago than that are removed from its set
 * (ZREMRANGEBYSCORE up to the newest such seq; the newest checkpoint is always kept). The verifier takes a
 * trail's checkpoints older than the oldest in Redis as trimmed, not deleted.
 */
public final class RedisCheckpoints {

    public static final String KEY_PREFIX = "tg:audit:checkpoint:";
    private static final Logger LOG = Logger.getLogger(RedisCheckpoints.class);
    private static final int MAX_PENDING = 10_000;

    private record Pending(String instance, long seq, String line) {}

    /** A checkpoint in Redis and when it was signed (its {@code time}): what trimming goes by. */
    private record Stored(String instance, long seq, Instant time) {}

    /** What a trust domain may be: it must not carry a glob or a brace into an ACL pattern or the hash tag. */
    static final java.util.regex.Pattern DOMAIN = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final ReactiveRedisDataSource redis;
    private final String domain;
    private final String retentionMillis;
    private final Duration retention;
    private final Clock clock;
    private final Deque<Stored> stored = new ConcurrentLinkedDeque<>();
    private final Counter failures;
    private final Deque<Pending> pending = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile boolean failing;
    private volatile boolean trimFailing;

    RedisCheckpoints(ReactiveRedisDataSource redis, String domain, Duration retention, Counter failures) {
        this(redis, domain, retention, failures, Clock.systemUTC());
    }

    RedisCheckpoints(ReactiveRedisDataSource redis, String domain, Duration retention, Counter failures, Clock clock) {
        if (!domain.isEmpty() && !DOMAIN.matcher(domain).matches()) {
            throw new IllegalStateException(
                    "gateway.audit.trust-domain may hold letters, digits, '.', '_' and '-' only (e.g. a namespace)");
        }
        this.redis = redis;
        this.domain = domain;
        this.retentionMillis = Long.toString(retention.toMillis());
        this.retention = retention;
        this.clock = clock;
        this.failures = failures;
    }

    /** The key of a central gateway's lifetime (no trust domain). */
    public static String key(String instance) {
        return key("", instance);
    }

    public static String key(String domain, String instance) {
        return KEY_PREFIX + "{" + (domain.isEmpty() ? "" : domain + ":") + instance + "}";
    }

    /** The instance id a checkpoint key names, with or without a trust domain (instance ids hold no ':'). */
    public static String instanceOf(String key) {
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

    /**
     * The stored checkpoints of {@code instance} signed before the retention period, in seq order, never the
     * newest one (of those stored and those about to be).
     */
    private List<Stored> expired(String instance, List<Pending> sending) {
        Instant cutoff = clock.instant().minus(retention);
        boolean newerComing = sending.stream().anyMatch(p -> p.instance().equals(instance));
        List<Stored> mine =
                stored.stream().filter(s -> s.instance().equals(instance)).toList();
        List<Stored> expired = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            boolean newest = i == mine.size() - 1 && !newerComing;
            if (!newest && mine.get(i).time().isBefore(cutoff)) {
                expired.add(mine.get(i));
            }
        }
        return expired;
    }

    /**
     * Removes the expired checkpoints from the set. Apart from the store: a trim that fails (a Redis user without
     * ZREMRANGEBYSCORE) is counted and logged, the checkpoints just stored stay stored, and the next store tries again.
     */
    private Uni<Void> trim(String instance, List<Stored> expired) {
        if (expired.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String upTo = Long.toString(expired.get(expired.size() - 1).seq());
        return redis.execute("ZREMRANGEBYSCORE", key(domain, instance), "-inf", upTo)
                .onItemOrFailure()
                .transformToUni((ok, failure) -> {
                    if (failure == null) {
                        stored.removeAll(expired);
                        trimFailing = false;
                    } else {
                        failures.increment();
                        if (!trimFailing) {
                            LOG.warnf(
                                    "Old audit checkpoints not trimmed from Redis (%s); retried with the next checkpoint",
                                    failure.getClass().getSimpleName());
                        }
                        trimFailing = true;
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private Instant timeOf(String line) {
        try {
            return Instant.parse(new JsonObject(line).getString("time"));
        } catch (RuntimeException e) { // not ours to judge here: keep it for the key's expiry alone
            return Instant.MAX;
        }
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
        List<Stored> expired = expired(instance, batch);
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
                    batch.stream()
                            .filter(p -> p.instance().equals(instance))
                            .forEach(p -> stored.add(new Stored(p.instance(), p.seq(), timeOf(p.line()))));
                    return trim(instance, expired)
                            .chain(() -> pending.isEmpty() ? Uni.createFrom().voidItem() : send());
                });
    }
}
