package io.tokengateway.bench;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import io.tokengateway.audit.AuditChain;
import io.tokengateway.audit.AuditKeys;
import io.tokengateway.audit.AuditSigner;
import io.tokengateway.audit.AuditSink;
import io.tokengateway.audit.AuditWriter;
import io.tokengateway.audit.Trails;
import io.tokengateway.digest.Sha256;
import io.vertx.core.json.JsonObject;

/**
 * What the audit trail costs per record and per checkpoint. Baseline in the same run: the plain SHA-256 of
 * the same sealed line, the least any hash chain can cost.
 * <ul>
 * <li>{@code sealAndWrite}: seal a typical record into the chain and write it, alone, to /dev/null (one
 * record per batch: the most a record can cost; under load a batch carries many).
 * <li>{@code appendThroughWriter}: one caller handing a record to the writer thread and waiting for its flush
 * (to /dev/null): the latency the request path sees, thread hand-off included.
 * <li>{@code checkpoint}: sign the chain head with Ed25519 and seal the checkpoint record.
 * </ul>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuditBenchmark extends BenchmarkDefaults {

    static final JsonObject RECORD = new JsonObject()
            .put("time", "2026-11-22T00:03:57.624766873Z")
            .put("correlation_id", "c11a0f14-07ae-44cd-8c48-4cf17fce713f")
            .put("caller", "orders-team")
            .put("merchant", "keyless-shop")
            .put("operation", "create-order")
            .put("token", "kct-…")
            .put("idempotency_key", "order-fa9b204d-bfab-441f-821b-f564ccd28838")
            .put("decision", "allowed")
            .put("status", 200)
            .put("upstream_status", 200)
            .put("upstream_latency_ms", 9)
            .put("order_amount", 2500)
            .put("currency", "EUR")
            .put("order_id", "9b6dc277-0f1f-45e3-96bb-7712819c4d41")
            .put("klarna_correlation_id", "042d9f8e-0299-47d6-84b5-edddc82ee3c1");

    private final AuditChain chain = new AuditChain("9937e840-52b9-4a5d-b62f-ad86af0b94dd");
    private final AuditSigner signer = new AuditSigner(AuditKeys.generate().getPrivate());
    private final String sealedLine = new AuditChain("baseline").seal("request", RECORD);
    private final String previousSignature = "x".repeat(88);
    private FileOutputStream devNull;
    private AuditWriter writer;

    static final class DevNull implements AuditSink {
        private final FileOutputStream out;

        DevNull(FileOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(byte[] lines) throws IOException {
            out.write(lines);
        }

        @Override
        public String name() {
            return "dev-null";
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        devNull = new FileOutputStream("/dev/null");
        writer = Trails.writer(
                "writer-bench", new DevNull(devNull), Trails.KEYS, Duration.ofHours(1), new Trails.Recorder());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        writer.close();
        devNull.close();
    }

    @Benchmark
    public String baselineSha256OfTheLine() {
        return Sha256.hex(sealedLine);
    }

    @Benchmark
    public int sealAndWrite() throws IOException {
        byte[] bytes = (chain.seal("request", RECORD) + "\n").getBytes(StandardCharsets.UTF_8);
        devNull.write(bytes);
        return bytes.length;
    }

    @Benchmark
    public Void appendThroughWriter() {
        return writer.append(RECORD).join();
    }

    @Benchmark
    public String checkpoint() {
        return AuditWriter.sealCheckpoint(chain, signer, previousSignature, "2026-11-22T00:03:57.624766873Z", false)
                .line();
    }
}
