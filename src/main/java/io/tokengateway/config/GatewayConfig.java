package io.tokengateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Everything under {@code gateway.*} but the policy (callers and merchants: {@link PolicyConfig}, which can
 * change while the gateway runs). The property names are part of the product; docs/configuration.md documents
 * each one with its default (checked by a test).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Claims tried in order to name the caller; the first one present in the token wins. */
    @WithDefault("azp,client_id,sub")
    List<String> callerClaims();

    /** Largest request body accepted; larger bodies get 413 before anything else happens. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    UpstreamConfig upstream();

    IdempotencyConfig idempotency();

    StateConfig state();

    RateLimitConfig rateLimit();

    RedisConfig redis();

    AuditConfig audit();

    SandboxConfig sandbox();

    AuthConfig auth();

    /** Caller authentication beyond what Quarkus OIDC is configured with. */
    interface AuthConfig {
        TokenCacheConfig tokenCache();
    }

    /** Verified bearer tokens, remembered so that each token is verified once, not on every request. */
    interface TokenCacheConfig {
        /** Most tokens remembered at once; the least used are forgotten first (and verified again when seen). */
        @WithDefault("10000")
        int maxEntries();

        /**
         * Longest a token is trusted from the cache before it is verified again, even if it expires later:
         * how long a token signed with a withdrawn key can still be honoured.
         */
        @WithDefault("60s")
        Duration maxAge();
    }

    /** What the request-rate limit does when Redis does not answer. */
    enum RateLimitFailurePolicy {
        /** Fall back to a limiter in this replica's memory (each replica then allows the whole budget). */
        LOCAL,
        /** Let every request through. */
        OPEN,
        /** Reject with 503 DEPENDENCY_UNAVAILABLE. */
        CLOSED
    }

    interface RateLimitConfig {
        @WithDefault("local")
        RateLimitFailurePolicy onRedisFailure();
    }

    /** What a step that needs Redis does when Redis does not answer. */
    enum FailurePolicy {
        /** Reject the request (503 DEPENDENCY_UNAVAILABLE). */
        CLOSED,
        /** Let the request through without the Redis-backed protection. */
        OPEN
    }

    interface IdempotencyConfig {
        /** How long a finished answer is replayed; the provider's own window is 24 h. */
        @WithDefault("24h")
        Duration retention();

        @WithDefault("closed")
        FailurePolicy onRedisFailure();

        /**
         * Replicas that must acknowledge a claim ({@code WAIT}) before its order is forwarded; 0 forwards as soon
         * as the primary has it. Redis replicates asynchronously, so a claim held by the primary alone is lost
         * when that primary fails over, and a retry through the new primary reaches the provider a second time.
         * A claim that does not reach this many replicas in time is released and answered 503
         * {@code DEPENDENCY_UNAVAILABLE}, never forwarded: each claim costs one replication round trip more, and
         * with fewer replicas reachable than this no order goes through at all.
         */
        @WithDefault("0")
        int replicaAcks();

        /** How long a claim waits for {@link #replicaAcks()}; absent means {@code gateway.redis.timeout}. */
        Optional<Duration> replicaAckTimeout();
    }

    /**
     * The seal on state the gateway trusts when it reads it back from Redis (stored idempotency answers): only a
     * gateway holding the key can write a record that is replayed.
     */
    interface StateConfig {
        /**
         * HMAC-SHA256 key that seals every idempotency record, at least 32 bytes, base64 or raw; from a Secret.
         * Required in production; dev and test generate one per run. Never logged.
         */
        Optional<String> sealKey();

        /** Keys records may still be sealed with, during a rotation: they verify, they never seal. */
        Optional<List<String>> previousSealKeys();

        /**
         * Replay records that carry no seal (written by a version before sealing): only for the length of a
         * rolling upgrade, since whoever can write to Redis can write an unsealed record too.
         */
        @WithDefault("false")
        boolean acceptUnsealed();
    }

    /** Where audit records go. */
    enum AuditSinkType {
        /** Standard output, one whole line per record. */
        STDOUT,
        /** A file, rotated by size ({@code gateway.audit.file.*}). */
        FILE,
        /** A Redis Stream ({@code gateway.audit.redis-stream.*}). */
        REDIS_STREAM
    }

    /** What the gateway does when an audit record cannot be written. */
    enum AuditFailurePolicy {
        /** Answer 503 DEPENDENCY_UNAVAILABLE and report not ready until the sink writes again. */
        REJECT,
        /** Answer as usual; the record is counted and logged as not written. */
        CONTINUE
    }

    /** The audit trail (docs/audit.md): sink, signing key, checkpoints, failure policy. */
    interface AuditConfig {
        @WithDefault("stdout")
        AuditSinkType sink();

        /** Ed25519 private key, PKCS#8 (base64 DER or PEM). Required in production; dev and test generate one. */
        Optional<String> signingKey();

        /** How often the chain's head is signed (and at shutdown). */
        @WithDefault("10s")
        Duration checkpointInterval();

        @WithDefault("reject")
        AuditFailurePolicy onFailure();

        /** While the sink fails, how often the writer tries it again. */
        @WithDefault("1s")
        Duration retryInterval();

        /** How long checkpoints stay in Redis, and records in the Redis Stream sink. */
        @WithDefault("24h")
        Duration retention();

        /**
         * The trust domain this gateway belongs to (a sidecar: its namespace; central: none). It tags the Redis
         * checkpoint key, {@code tg:audit:checkpoint:{<domain>:<instance>}}, so a namespace's ACL user can be
         * limited to its own checkpoints.
         */
        Optional<String> trustDomain();

        AuditFileConfig file();

        AuditStreamConfig redisStream();
    }

    interface AuditFileConfig {
        /** The file records are appended to; required with {@code gateway.audit.sink=file}. */
        Optional<String> path();

        /** A file reaching this size is renamed to {@code <path>.<n>} and a new one started. */
        @WithDefault("100M")
        MemorySize maxSize();

        /** fsync after every batch, not only flush. */
        @WithDefault("false")
        boolean fsync();
    }

    interface AuditStreamConfig {
        @WithDefault("tg:audit")
        String key();

        /** Bound on one batch's round trip; a slower Redis counts as a failed write. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * Replicas that must hold a batch ({@code WAIT}, within half the timeout) before it counts as written, so a
         * failover cannot lose a batch its callers were told is written; 0: the primary's reply is enough.
         */
        @WithDefault("0")
        int replicaAcks();
    }

    interface RedisConfig {
        /** Bound on every Redis call of the request path: a slow Redis fails fast, it never stalls a request. */
        @WithDefault("500ms")
        Duration timeout();
    }

    interface UpstreamConfig {
        @WithDefault("2s")
        Duration connectTimeout();

        /** Whole-request deadline for one upstream call. */
        @WithDefault("10s")
        Duration timeout();

        /** Connections kept per upstream host. */
        @WithDefault("64")
        int maxConnections();

        RetryConfig retry();

        CircuitBreakerConfig circuitBreaker();

        BulkheadConfig bulkhead();
    }

    /** Retries of upstream calls, only where a retry cannot place a second order (see {@code RetryPolicy}). */
    interface RetryConfig {
        @WithDefault("2")
        int maxRetries();

        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("1s")
        Duration maxBackoff();
    }

    /** One circuit breaker per merchant: opens after too many failed calls, probes again after the delay. */
    interface CircuitBreakerConfig {
        /** Calls in the rolling window the failure ratio is measured over. */
        @WithDefault("20")
        int requestVolumeThreshold();

        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting probe calls through. */
        @WithDefault("5s")
        Duration delay();

        /** Successful probes that close the breaker again. */
        @WithDefault("2")
        int successThreshold();
    }

    /** One bulkhead per merchant: at most this many concurrent upstream calls, so a slow merchant cannot starve others. */
    interface BulkheadConfig {
        @WithDefault("64")
        int maxConcurrent();

        /** Calls that may wait for a free slot; beyond that, 503 at once. */
        @WithDefault("64")
        int queue();
    }

    /** The provider simulator of the {@code sandbox} package: off unless enabled (dev mode and tests). */
    interface SandboxConfig {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("8089")
        int port();

        /** API username to password that the simulator accepts. */
        @WithName("credentials")
        Map<String, String> credentials();

        /** Delay added before every answer. */
        @WithDefault("0ms")
        Duration latency();

        /** Fraction (0..1) of requests answered 503, for resilience tests and demos. */
        @WithDefault("0")
        double failureRate();
    }
}
