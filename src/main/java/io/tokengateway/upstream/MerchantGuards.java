package io.tokengateway.upstream;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;

/**
 * One SmallRye Fault Tolerance guard per merchant: a circuit breaker (opens when too many calls to that
 * merchant's provider account fail, short-circuits while open, probes after the delay) and a bulkhead (a
 * bounded number of concurrent calls, so one slow merchant cannot take every connection). The state is
 * per merchant, hence programmatic guards rather than annotations. Circuit state is published as
 * {@code gateway_upstream_circuit_state{merchant}} (0 closed, 1 half-open, 2 open), calls waiting for a slot
 * in the bulkhead as {@code gateway_upstream_bulkhead_waiting{merchant}}.
 */
@Singleton
public class MerchantGuards {

    private static final Logger LOG = Logger.getLogger(MerchantGuards.class);
    private static final TypeLiteral<Uni<ProviderAnswer>> CALL = new TypeLiteral<>() {};

    private final GatewayConfig.UpstreamConfig config;
    private final MeterRegistry registry;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    /** A merchant's guard, and how many calls wait to be admitted by it. */
    private record Guard(TypedGuard<Uni<ProviderAnswer>> calls, AtomicInteger waiting) {}

    /** One call's wait for admission: counted from subscription until admitted, refused, failed or cancelled. */
    private static final class Admission {
        private final AtomicInteger waiting;
        private final AtomicBoolean over = new AtomicBoolean();

        Admission(AtomicInteger waiting) {
            this.waiting = waiting;
            waiting.incrementAndGet();
        }

        void over() {
            if (over.compareAndSet(false, true)) {
                waiting.decrementAndGet();
            }
        }
    }

    MerchantGuards(GatewayConfig config, MeterRegistry registry) {
        this.config = config.upstream();
        this.registry = registry;
    }

    /** The merchant's guarded version of {@code call}; each subscription is one guarded attempt. */
    Uni<ProviderAnswer> guard(String merchantId, Supplier<Uni<ProviderAnswer>> call) {
        Guard guard = guards.computeIfAbsent(merchantId, this::create);
        return Uni.createFrom().deferred(() -> {
            Admission admission = new Admission(guard.waiting());
            return guard.calls()
                    .get(() -> {
                        admission.over();
                        return call.get();
                    })
                    .onTermination()
                    .invoke(admission::over);
        });
    }

    private Guard create(String merchantId) {
        AtomicInteger waiting = registry.gauge(
                "gateway.upstream.bulkhead.waiting", Tags.of("merchant", merchantId), new AtomicInteger());
        return new Guard(calls(merchantId), waiting);
    }

    private TypedGuard<Uni<ProviderAnswer>> calls(String merchantId) {
        AtomicInteger state =
                registry.gauge("gateway.upstream.circuit_state", Tags.of("merchant", merchantId), new AtomicInteger());
        GatewayConfig.CircuitBreakerConfig breaker = config.circuitBreaker();
        return TypedGuard.create(CALL)
                .withDescription("upstream calls of merchant " + merchantId)
                .withCircuitBreaker()
                .name("upstream-" + merchantId)
                .requestVolumeThreshold(breaker.requestVolumeThreshold())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                // a full bulkhead, or an attempt the deadline overtook, says nothing about the provider's health
                .skipOn(java.util.List.of(BulkheadException.class, AttemptLog.DeadlinePassed.class))
                .onStateChange(next -> {
                    state.set(next == CircuitBreakerState.CLOSED ? 0 : next == CircuitBreakerState.HALF_OPEN ? 1 : 2);
                    LOG.warnf("Circuit breaker for merchant %s is now %s", merchantId, next);
                })
                .done()
                .withBulkhead()
                .limit(config.bulkhead().maxConcurrent())
                .queueSize(Math.max(1, config.bulkhead().queue()))
                .done()
                .withThreadOffload(false)
                .build();
    }
}
