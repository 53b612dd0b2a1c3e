package io.tokengateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tokengateway.flow.Operation;

/** Which failed calls are tried again: never one that could become a second order. */
class RetryPolicyTest {

    private static Throwable failure(String kind) {
        return switch (kind) {
            case "refused" -> new ConnectException();
            case "closed" -> new ProviderFailures.ConnectionClosed();
            case "timeout" -> new TimeoutException();
            default -> new UpstreamServerError(new ProviderAnswer(Integer.parseInt(kind), Map.of(), new byte[0]));
        };
    }

    @ParameterizedTest(name = "{0} with key {1} after {2}: retry {3}")
    @CsvSource({
        "READ_TOKEN,   false, refused, true",
        "READ_TOKEN,   false, closed,  true",
        "READ_TOKEN,   false, 502,     true",
        "READ_TOKEN,   false, 503,     true",
        "READ_TOKEN,   false, 500,     false",
        "READ_TOKEN,   false, 504,     false",
        "READ_TOKEN,   false, 501,     false",
        "READ_TOKEN,   false, timeout, false",
        "CREATE_ORDER, false, refused, true",
        "CREATE_ORDER, false, closed,  false",
        "CREATE_ORDER, false, 502,     false",
        "CREATE_ORDER, false, 503,     false",
        "CREATE_ORDER, true,  closed,  true",
        "CREATE_ORDER, true,  502,     true",
        "CREATE_ORDER, true,  503,     true",
        "CREATE_ORDER, true,  500,     false",
        "CREATE_ORDER, true,  timeout, false",
        "CANCEL_TOKEN, false, refused, true",
        "CANCEL_TOKEN, false, closed,  false",
        "CANCEL_TOKEN, false, 503,     false",
        "CANCEL_TOKEN, true,  503,     true",
    })
    void retriesOnlyWhatCannotBecomeASecondOrder(Operation operation, boolean hasKey, String failure, boolean retried) {
        assertEquals(retried, RetryPolicy.isSafeToRetry(operation, hasKey, failure(failure)));
    }
}
