package io.tokengateway.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tokengateway.flow.UpstreamOutcome.Acted;

/** Every row of the outcome table: is it the provider's final word, and did the provider act? */
class UpstreamOutcomeTest {

    @ParameterizedTest(name = "{0} {1} (an earlier attempt may have acted: {2}) -> definite {3}, acted {4}")
    @CsvSource({
        // kind,   status, earlier, definite, acted
        "ANSWERED, 200, false, true,  YES",
        "ANSWERED, 202, false, true,  YES",
        "ANSWERED, 200, true,  true,  YES",
        "ANSWERED, 400, false, true,  NO",
        "ANSWERED, 403, false, true,  NO",
        "ANSWERED, 404, false, true,  NO",
        "ANSWERED, 422, false, true,  NO",
        "ANSWERED, 410, false, true,  NO",
        // a definite refusal is the provider's word on the key: it settles what earlier attempts did
        "ANSWERED, 400, true,  true,  NO",
        "ANSWERED, 500, false, false, MAYBE",
        "ANSWERED, 502, false, false, MAYBE",
        "ANSWERED, 503, false, false, MAYBE",
        "ANSWERED, 504, false, false, MAYBE",
        "ANSWERED, 408, false, false, MAYBE",
        "ANSWERED, 409, false, false, MAYBE",
        "ANSWERED, 425, false, false, NO",
        "ANSWERED, 429, false, false, NO",
        "ANSWERED, 401, false, false, NO",
        "ANSWERED, 429, true,  false, MAYBE",
        "ANSWERED, 302, false, false, NO",
        "NOT_SENT, 0,   false, false, NO",
        "NOT_SENT, 0,   true,  false, MAYBE",
        "UNKNOWN,  0,   true,  false, MAYBE",
    })
    void theTable(UpstreamOutcome.Kind kind, int status, boolean earlier, boolean definite, Acted acted) {
        UpstreamOutcome outcome = new UpstreamOutcome(kind, status, earlier);
        assertEquals(definite, outcome.isDefinite(), "definite");
        assertEquals(acted, outcome.acted(), "acted");
    }
}
