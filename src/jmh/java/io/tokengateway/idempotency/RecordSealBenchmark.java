package io.tokengateway.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import io.tokengateway.bench.BenchmarkDefaults;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.vertx.core.buffer.Buffer;

/**
 * What sealing costs a stored idempotency record, against the record's own JSON encoding in the same run (an
 * absolute figure on a shared machine is noise):
 * <ul>
 * <li>{@code encode} / {@code sealAndEncode}: the finished record as completion stores it, without and with its
 * HMAC-SHA256 seal over the Redis key and the JSON.
 * <li>{@code decode} / {@code verifyAndDecode}: the stored text as a replay reads it, without and with the seal
 * checked (constant-time compare) before parsing.
 * </ul>
 * The record is a typical create-order answer: a 200 with the provider's headers and a ~350-byte body.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RecordSealBenchmark extends BenchmarkDefaults {

    static final String RECORD_KEY =
            IdempotencyStore.recordKey("main-shop", "order-fa9b204d-bfab-441f-821b-f564ccd28838");

    final RecordSeal seal = RecordSeal.of(
            false,
            "a-benchmark-seal-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8),
            "the-previous-seal-key-still-accepted-here".getBytes(StandardCharsets.UTF_8));

    final IdempotencyRecord record = finished();
    final String json = record.toJson();
    final String sealed = seal.seal(RECORD_KEY, json);

    private static IdempotencyRecord finished() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Klarna-Correlation-Id", "5e1b7c9a-3f0d-4a7e-9d5b-0c2f8e6a1b34");
        String body = "{\"order_id\":\"f3392f8b-6116-4073-ab96-e330819e2c07\","
                + "\"redirect_url\":\"https://payments.example/redirect/2f8b6116-4073-ab96-e330819e2c07\","
                + "\"fraud_status\":\"ACCEPTED\",\"authorized_payment_method\":{\"type\":\"invoice\","
                + "\"number_of_days\":30},\"order_amount\":250000,\"purchase_currency\":\"EUR\","
                + "\"merchant_reference1\":\"45aa52f387871e3a210645d4\"}";
        return IdempotencyRecord.pending(
                        "0b5e3c3e-2d1a-4a8f-9b7e-6f5d4c3b2a19",
                        "orders-team",
                        Operation.CREATE_ORDER,
                        "9c1185a5c5e9fc54612808977ee8f548b2258d31b6a1d2e4e1e4e1e4e1e4e1e4")
                .finished(new GatewayResponse(200, headers, Buffer.buffer(body)));
    }

    @Benchmark
    public String encode() {
        return record.toJson();
    }

    @Benchmark
    public String sealAndEncode() {
        return seal.seal(RECORD_KEY, record.toJson());
    }

    @Benchmark
    public IdempotencyRecord decode() {
        return IdempotencyRecord.fromJson(json);
    }

    @Benchmark
    public IdempotencyRecord verifyAndDecode() {
        return IdempotencyRecord.fromJson(((RecordSeal.Opened.Trusted) seal.open(RECORD_KEY, sealed)).json());
    }
}
