package io.tokengateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The GCRA arithmetic, on a clock the test controls (the Lua script implements the same algorithm). */
class LocalRateLimiterTest {

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final LocalRateLimiter limiter = new LocalRateLimiter(clock::get);

    static LimitPolicy policy(double perSecond, int burst) {
        return new LimitPolicy(perSecond, burst, Set.of(), OptionalLong.empty(), OptionalLong.empty(), false);
    }

    @Test
    void aFullBurstPassesAtOnceAndTheNextWaitsOneInterval() {
        LimitPolicy tenPerSecondBurstFour = policy(10, 4);
        for (int i = 3; i >= 0; i--) {
            RateDecision decision = limiter.check("m", tenPerSecondBurstFour);
            assertTrue(decision.allowed());
            assertEquals(i, decision.remaining());
        }
        RateDecision limited = limiter.check("m", tenPerSecondBurstFour);
        assertFalse(limited.allowed());
        assertEquals(100_000, limited.retryAfterMicros());
        assertEquals(1, limited.retryAfterSeconds());
        assertEquals("\"merchant\";r=0;t=1", limited.rateLimitHeader());
    }

    @Test
    void theSteadyRateIsExactlyTheConfiguredRate() {
        LimitPolicy fivePerSecond = policy(5, 1);
        int allowed = 0;
        for (int step = 0; step < 10_000; step++) { // 10 s of attempts every millisecond
            if (limiter.check("m", fivePerSecond).allowed()) {
                allowed++;
            }
            clock.addAndGet(1_000);
        }
        assertEquals(50, allowed);
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        LimitPolicy oneEveryFourSeconds = policy(0.25, 1);
        assertTrue(limiter.check("m", oneEveryFourSeconds).allowed());
        clock.addAndGet(500_000);
        RateDecision limited = limiter.check("m", oneEveryFourSeconds);
        assertEquals(3_500_000, limited.retryAfterMicros());
        assertEquals(4, limited.retryAfterSeconds());
        clock.addAndGet(3_500_000);
        assertTrue(limiter.check("m", oneEveryFourSeconds).allowed());
    }

    @Test
    void merchantsHaveTheirOwnBudgets() {
        LimitPolicy one = policy(1, 1);
        assertTrue(limiter.check("a", one).allowed());
        assertFalse(limiter.check("a", one).allowed());
        assertTrue(limiter.check("b", one).allowed());
    }

    @Test
    void thePolicyHeaderNamesQuotaWindowAndBurst() {
        assertEquals("\"merchant\";q=180;w=1;burst=50", policy(180, 50).rateLimitPolicyHeader());
        assertEquals("\"merchant\";q=1;w=4;burst=2", policy(0.25, 2).rateLimitPolicyHeader());
    }
}
