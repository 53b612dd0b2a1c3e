package io.tokengateway.audit;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The audit subsystem of this instance: the signing key, the sink chosen by {@code gateway.audit.sink},
 * the one {@link AuditWriter}, the checkpoint copies in Redis, and the policy when the sink fails
 * ({@code gateway.audit.on-failure}). Started with the application, so the {@code start} record is written
 * and a production instance without a signing key never starts.
 */
@Startup
@Singleton
public class AuditService {

    private static final Logger LOG = Logger.getLogger(AuditService.class);

    private final AuditWriter writer;
    private final AuditSigner signer;
    private final String sinkName;
    private final boolean reject;
    private final RedisCheckpoints checkpoints;
    private final Counter notWritten;

    AuditService(
            GatewayConfig gateway,
            ReactiveRedisDataSource redis,
            MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        GatewayConfig.AuditConfig config = gateway.audit();
        if (config.retention().compareTo(config.checkpointInterval().multipliedBy(2)) < 0) {
            throw new IllegalStateException(
                    "gateway.audit.retention must be at least twice gateway.audit.checkpoint-interval");
        }
        this.signer = new AuditSigner(signingKey(config));
        AuditSink sink =
                switch (config.sink()) {
                    case STDOUT -> new StdoutAuditSink();
                    case FILE ->
                        new FileAuditSink(
                                Path.of(config.file()
                                        .path()
                                        .orElseThrow(() -> new IllegalStateException(
                                                "gateway.audit.file.path is required with gateway.audit.sink=file"))),
                                config.file().maxSize().asLongValue(),
                                config.file().fsync());
                    case REDIS_STREAM ->
                        new RedisStreamAuditSink(
                                redis.getRedis(),
                                config.redisStream().key(),
                                config.retention(),
                                config.redisStream().timeout(),
                                config.redisStream().replicaAcks());
                };
        this.sinkName = sink.name();
        this.reject = config.onFailure() == GatewayConfig.AuditFailurePolicy.REJECT;
        this.checkpoints = new RedisCheckpoints(
                redis,
                config.trustDomain().orElse(""),
                config.retention(),
                registry.counter("gateway.audit.checkpoint_store_failures"));
        this.notWritten = registry.counter("gateway.audit.records_not_written");
        Counter written = registry.counter("gateway.audit.records_written");
        Counter failedBatches = registry.counter("gateway.audit.sink_failures");
        String instance = UUID.randomUUID().toString();
        JsonObject start = new JsonObject()
                .put("version", version)
                .put("host", System.getenv().getOrDefault("HOSTNAME", ""))
                .put("sink", sinkName)
                .put("key_fingerprint", signer.fingerprint())
                // Signed with the chain: what a verifier may take as the most a running trail's newest checkpoint lags.
                .put("checkpoint_interval_ms", config.checkpointInterval().toMillis());
        this.writer = new AuditWriter(
                new AuditChain(instance),
                sink,
                signer,
                start,
                Clock.systemUTC(),
                config.checkpointInterval(),
                config.retryInterval(),
                new AuditWriter.Listener() {
                    @Override
                    public void written(int records) {
                        written.increment(records);
                    }

                    @Override
                    public void failed(int records, Exception cause) {
                        failedBatches.increment();
                        notWritten.increment(records);
                    }

                    @Override
                    public void checkpoint(String instance, long seq, String sealedLine) {
                        checkpoints.publish(instance, seq, sealedLine);
                    }
                });
        // 1 while batches reach the sink, 0 from a failed batch until one is written again: what the alert watches.
        registry.gauge(
                "gateway.audit.writing",
                io.micrometer.core.instrument.Tags.of("sink", sinkName),
                writer,
                w -> w.healthy() ? 1 : 0);
        // Age of the oldest record accepted but not yet written (0 when none): a sink that blocks rather than fails
        // shows here, while gateway.audit.writing stays 1.
        registry.gauge(
                "gateway.audit.oldest_pending_seconds",
                writer,
                w -> w.oldestPending().toNanos() / 1e9);
        LOG.infof("Audit trail: instance %s, sink %s, signing key %s", instance, sinkName, signer.fingerprint());
    }

    private static PrivateKey signingKey(GatewayConfig.AuditConfig config) {
        if (config.signingKey().isPresent()) {
            return AuditKeys.privateKey(config.signingKey().get());
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException(
                    "gateway.audit.signing-key is required (an Ed25519 private key, PKCS#8, from a Secret); "
                            + "see docs/audit.md");
        }
        KeyPair ephemeral = AuditKeys.generate();
        // Dev and test only: without the public key nobody could verify this run's trail.
        LOG.warnf(
                "No gateway.audit.signing-key: signing the audit trail with an ephemeral key (%s mode). Public key: %s",
                LaunchMode.current().getDefaultProfile(), AuditKeys.toBase64(ephemeral.getPublic()));
        return ephemeral.getPrivate();
    }

    /** This instance's chain id: every record it writes carries it. */
    public String instance() {
        return writer.instance();
    }

    /** The key the trail's checkpoints verify with. */
    public PublicKey publicKey() {
        return signer.publicKey();
    }

    public String sinkName() {
        return sinkName;
    }

    /** Whether the sink is this replica's own (stdout, file), not one every replica shares (a Redis Stream). */
    public boolean ownSink() {
        return !"redis-stream".equals(sinkName);
    }

    /** Whether the start record was written and the writer is not closed (readiness). */
    public boolean open() {
        return writer.open();
    }

    /** Whether the writer was closed (shutdown). */
    public boolean closed() {
        return writer.closed();
    }

    /** Whether the last batch reached the sink, whatever the failure policy. */
    public boolean writing() {
        return writer.healthy();
    }

    /** Whether records are being written: checked before a request acts, and reported by readiness. */
    public boolean accepting() {
        return !reject || writer.healthy(); // on-failure=continue: the gateway goes on acting, counting what is lost
    }

    /**
     * Queues a built, masked record. The Uni completes once the record is flushed to the sink, back on the
     * caller's Vert.x context when there is one; when it could not be written it fails with
     * {@link AuditUnavailableException} ({@code on-failure=reject}) or completes all the same ({@code continue}:
     * counted and logged by the writer).
     */
    public Uni<Void> append(JsonObject record) {
        return onCallerContext(writer.append(record));
    }

    /**
     * Queues a built, masked record of another kind than a request's ({@code policy}: a policy change applied or
     * refused), in the same chain. Completes once it is flushed, as {@link #append(JsonObject)}.
     */
    public Uni<Void> append(String type, JsonObject record) {
        return onCallerContext(writer.append(type, record));
    }

    /**
     * Writes a signed checkpoint now and waits until it is flushed and stored in Redis. Blocking: for tests
     * and tools, never the event loop. Returns whether both happened in time.
     */
    public boolean checkpointNow(Duration patience) {
        try {
            writer.checkpoint().get(patience.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return checkpoints.awaitStored(patience);
    }

    private Uni<Void> onCallerContext(CompletableFuture<Void> flushed) {
        Context context = Vertx.currentContext();
        return Uni.createFrom()
                .emitter(emitter -> flushed.whenComplete((ok, failure) -> {
                    Runnable emit = () -> {
                        if (failure == null || !reject) {
                            emitter.complete(null);
                        } else {
                            emitter.fail(new AuditUnavailableException());
                        }
                    };
                    if (context != null) {
                        context.runOnContext(v -> emit.run());
                    } else {
                        emit.run();
                    }
                }));
    }

    void stop(@Observes ShutdownEvent event) {
        // After in-flight requests finished (graceful shutdown): their records, then the final checkpoint.
        writer.close();
        if (!checkpoints.awaitStored(Duration.ofSeconds(5))) {
            LOG.warn("The final audit checkpoint was not stored in Redis");
        }
    }
}
