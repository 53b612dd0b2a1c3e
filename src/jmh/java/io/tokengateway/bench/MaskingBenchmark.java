package io.tokengateway.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import io.tokengateway.digest.Sha256;
import io.tokengateway.masking.CardNumberMasker;
import io.tokengateway.masking.SensitiveTextMasker;

/**
 * What every log record costs: masking a typical access-log line and a typical audit record (nothing to
 * mask, the common case), a line that holds a card number, and the card detector alone; and the SHA-256
 * fingerprint of a 10-line order body (idempotency). Baseline in the same run: String.contains over the
 * same text, the least any scan of it can cost.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaskingBenchmark extends BenchmarkDefaults {

    static final String ACCESS_LINE =
            "127.0.0.1 \"POST /customer-token/v1/tokens/kct-9f8e7d6c-5b4a-4c3d/order\" 200 223 25ms "
                    + "corr=c11a0f14-07ae-44cd-8c48-4cf17fce713f";
    static final String AUDIT_RECORD =
            "{\"seq\":37,\"instance\":\"9937e840-52b9-4a5d-b62f-ad86af0b94dd\",\"time\":\"2026-11-22T00:03:57.624766873Z\","
                    + "\"correlation_id\":\"c11a0f14-07ae-44cd-8c48-4cf17fce713f\",\"caller\":\"orders-team\",\"merchant\":\"keyless-shop\",\"operation\":\"create-order\","
                    + "\"token\":\"kct-…\",\"idempotency_key\":\"order-fa9b204d-bfab-441f-821b-f564ccd28838\",\"decision\":\"allowed\",\"status\":200,"
                    + "\"upstream_status\":200,\"upstream_latency_ms\":9,\"order_amount\":2500,\"currency\":\"EUR\","
                    + "\"order_id\":\"9b6dc277-0f1f-45e3-96bb-7712819c4d41\",\"klarna_correlation_id\":\"042d9f8e-0299-47d6-84b5-edddc82ee3c1\","
                    + "\"prev\":\"68b11d3db2a2a69d4ab5949698ca637052737b8d695969ffb3e7f3631661611d\"}";
    static final String CARD_LINE = "payment failed for card 4111 1111 1111 1111 exp 12/30 on order 2026-000042";

    private final SensitiveTextMasker masker =
            new SensitiveTextMasker(List.of("main-shop-secret-Zq7", "keyless-shop-secret-Xw4"));
    private final byte[] order = OrderValidationBenchmark.order(10).getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Benchmark
    public String maskAccessLine() {
        return masker.mask(ACCESS_LINE);
    }

    @Benchmark
    public String maskAuditRecord() {
        return masker.mask(AUDIT_RECORD);
    }

    @Benchmark
    public String maskLineWithCard() {
        return masker.mask(CARD_LINE);
    }

    @Benchmark
    public String cardDetectorOnAuditRecord() {
        return CardNumberMasker.mask(AUDIT_RECORD);
    }

    @Benchmark
    public boolean baselineScanAuditRecord() {
        return AUDIT_RECORD.contains("Authorization");
    }

    @Benchmark
    public String fingerprintTenLineOrder() {
        return Sha256.hex(order);
    }
}
