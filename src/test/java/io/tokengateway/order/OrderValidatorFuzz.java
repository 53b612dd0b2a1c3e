package io.tokengateway.order;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;

import io.tokengateway.error.GatewayError;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Mutation fuzzing of the order validator, bounded in tries: valid orders with bytes flipped, inserted,
 * deleted and duplicated, JSON punctuation and hostile numbers spliced in, and raw random bytes. Whatever
 * comes in, the validator answers with an order or a 400 (BAD_REQUEST or BAD_VALUE): never another
 * exception, which would be a 500.
 */
class OrderValidatorFuzz {

    private static final List<byte[]> SPLICES = List.of(
            "\"".getBytes(),
            "{".getBytes(),
            "}".getBytes(),
            "[".getBytes(),
            "]".getBytes(),
            ",".getBytes(),
            ":".getBytes(),
            "-".getBytes(),
            "1e999".getBytes(),
            "9223372036854775808".getBytes(),
            "null".getBytes(),
            "\\u0000".getBytes(),
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xFF},
            "\"order_lines\":[]".getBytes(),
            "\"order_amount\":".getBytes());

    private final OrderValidator validator = new OrderValidator();

    record Mutation(int kind, int position, int length, int value) {}

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 100_000),
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(0, 255))
                .as(Mutation::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    @Property(tries = 3000)
    void mutatedOrdersNeverCrashTheValidator(@ForAll("mutations") List<Mutation> mutations, @ForAll boolean bigOrder) {
        byte[] body = Orders.bytes(
                bigOrder
                        ? Orders.vatOrder(
                                Orders.line("physical", 3, 1999, 100, 2500),
                                Orders.line("discount", 1, -500, 0, 2500),
                                Orders.line("shipping_fee", 1, 490, 0, 2500))
                        : Orders.simple());
        for (Mutation m : mutations) {
            body = mutate(body, m);
        }
        assertAnswered(body);
    }

    @Property(tries = 1000)
    void randomBytesNeverCrashTheValidator(@ForAll @Size(max = 2000) byte[] body) {
        assertAnswered(body);
    }

    private void assertAnswered(byte[] body) {
        try {
            validator.validateOrder(body);
        } catch (InvalidBodyException rejected) {
            assertTrue(
                    rejected.error() == GatewayError.BAD_REQUEST || rejected.error() == GatewayError.BAD_VALUE,
                    rejected.error().name());
        }
        try {
            validator.validateStatusUpdate(body);
        } catch (InvalidBodyException rejected) {
            assertTrue(
                    rejected.error() == GatewayError.BAD_REQUEST || rejected.error() == GatewayError.BAD_VALUE,
                    rejected.error().name());
        }
    }

    static byte[] mutate(byte[] body, Mutation m) {
        if (body.length == 0) {
            return new byte[] {(byte) m.value()};
        }
        int at = m.position() % body.length;
        int len = Math.min(m.length(), body.length - at);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (m.kind()) {
            case 0 -> { // flip a byte
                byte[] copy = body.clone();
                copy[at] = (byte) m.value();
                return copy;
            }
            case 1 -> { // insert a byte
                out.write(body, 0, at);
                out.write(m.value());
                out.write(body, at, body.length - at);
            }
            case 2 -> { // delete a range
                out.write(body, 0, at);
                out.write(body, at + len, body.length - at - len);
            }
            case 3 -> { // duplicate a range
                out.write(body, 0, at + len);
                out.write(body, at, body.length - at);
            }
            default -> { // splice in a token
                out.write(body, 0, at);
                out.writeBytes(SPLICES.get(m.value() % SPLICES.size()));
                out.write(body, at, body.length - at);
            }
        }
        return out.toByteArray();
    }
}
