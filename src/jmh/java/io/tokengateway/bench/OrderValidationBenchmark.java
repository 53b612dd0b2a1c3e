package io.tokengateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import io.tokengateway.order.Order;
import io.tokengateway.order.OrderValidator;

/**
 * Validation of a create-order body of realistic shape (names, references, URLs, product identifiers,
 * VAT on every line), from raw bytes to the validated order: what the validate step costs a request.
 * Budget: validating an order costs at most 1.5 × tokenising the same bytes with Jackson.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OrderValidationBenchmark extends BenchmarkDefaults {

    @Param({"10", "1000"})
    int lines;

    private final OrderValidator validator = new OrderValidator();
    private byte[] body;

    @Setup
    public void buildOrder() {
        body = order(lines).getBytes(StandardCharsets.UTF_8);
    }

    private final JsonFactory plainJson = new JsonFactory();

    @Benchmark
    public Order validate() {
        return validator.validateOrder(body);
    }

    /** Baseline: only tokenising the same bytes with Jackson, the floor for any validator reading them. */
    @Benchmark
    public int tokenizeOnly() throws IOException {
        int tokens = 0;
        try (JsonParser parser = plainJson.createParser(body)) {
            while (parser.nextToken() != null) {
                tokens++;
            }
        }
        return tokens;
    }

    static String order(int lineCount) {
        StringBuilder json = new StringBuilder(
                        "{\"purchase_currency\":\"EUR\",\"merchant_reference1\":\"ON-2026-000042\",")
                .append(
                        "\"merchant_urls\":{\"confirmation\":\"https://shop.example.com/confirm?order=42\"},\"order_lines\":[");
        long amount = 0;
        long tax = 0;
        for (int i = 0; i < lineCount; i++) {
            long quantity = 1 + i % 3;
            long unitPrice = 1_000 + 37L * i;
            long discount = i % 5 == 0 ? 100 : 0;
            long total = quantity * unitPrice - discount;
            long lineTax = total - total * 10_000 / 12_500;
            amount += total;
            tax += lineTax;
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"type\":\"physical\",\"reference\":\"SKU-")
                    .append(100_000 + i)
                    .append("\",\"name\":\"Running shoe, size ")
                    .append(36 + i % 10)
                    .append("\",\"quantity\":")
                    .append(quantity)
                    .append(",\"quantity_unit\":\"pcs\"")
                    .append(",\"unit_price\":")
                    .append(unitPrice)
                    .append(",\"tax_rate\":2500")
                    .append(",\"total_amount\":")
                    .append(total)
                    .append(",\"total_discount_amount\":")
                    .append(discount)
                    .append(",\"total_tax_amount\":")
                    .append(lineTax)
                    .append(",\"product_url\":\"https://shop.example.com/p/")
                    .append(i)
                    .append('"')
                    .append(",\"product_identifiers\":{\"brand\":\"Acme\",\"category_path\":\"Shoes > Running\"}}");
        }
        return json.append("],\"order_amount\":")
                .append(amount)
                .append(",\"order_tax_amount\":")
                .append(tax)
                .append('}')
                .toString();
    }
}
