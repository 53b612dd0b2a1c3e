package io.tokengateway.audit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.tokengateway.config.GatewayConfig;

/**
 * The optional second sink ({@code gateway.audit.redis-stream}): {@code XADD} to a Redis Stream capped at
 * {@code gateway.audit.redis-stream-max-length} entries (the oldest are trimmed). Fire and forget: a failure is counted
 * ({@code gateway_audit_stream_failures_total}) and logged, never passed to the request.
 */
@ApplicationScoped
public class RedisStreamAuditSink implements AuditSink {

    private static final Logger LOG = Logger.getLogger(RedisStreamAuditSink.class);

    private final ReactiveRedisDataSource redis;
    private final String stream;
    private final String maxLength;
    private final Counter failures;

    RedisStreamAuditSink(ReactiveRedisDataSource redis, GatewayConfig config, MeterRegistry registry) {
        this.redis = redis;
        this.stream = config.audit().redisStream().orElse(null);
        this.maxLength = Long.toString(config.audit().redisStreamMaxLength());
        this.failures = registry.counter("gateway.audit.stream_failures");
    }

    public boolean enabled() {
        return stream != null;
    }

    @Override
    public void write(String sealedRecord) {
        redis.execute("XADD", stream, "MAXLEN", maxLength, "*", "record", sealedRecord)
                .subscribe().with(ok -> {
                }, failure -> {
                    failures.increment();
                    LOG.warnf("Audit record not added to the Redis stream: %s", failure.getClass().getSimpleName());
                });
    }
}
