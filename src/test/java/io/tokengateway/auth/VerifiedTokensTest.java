package io.tokengateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.flow.CallerCredential;

class VerifiedTokensTest {

    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final long NOW_SECONDS = NOW_MILLIS / 1000;

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final VerifiedTokens tokens = new VerifiedTokens(config(100, Duration.ofSeconds(60)), registry, nanos::get);

    private static final String ALICE_JWT = "eyJ.alice.sig";
    private final CallerCredential alice = CallerCredential.of("Bearer " + ALICE_JWT);
    private final Caller aliceCaller = new Caller("alice");

    @Test
    void aVerifiedTokenIsRecognisedUntilItExpires() {
        tokens.remember(alice, ALICE_JWT, aliceCaller, NOW_SECONDS + 30, NOW_MILLIS);

        assertEquals(Optional.of(aliceCaller), tokens.lookup(alice));
        advance(Duration.ofSeconds(29));
        assertEquals(Optional.of(aliceCaller), tokens.lookup(alice));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), tokens.lookup(alice), "expired: verified again, never served");
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() {
        tokens.remember(alice, ALICE_JWT, aliceCaller, NOW_SECONDS + 86_400, NOW_MILLIS);

        advance(Duration.ofSeconds(59));
        assertEquals(Optional.of(aliceCaller), tokens.lookup(alice));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), tokens.lookup(alice));
    }

    @Test
    void onlyTheExactHeaderVerifiedIsRecognised() {
        tokens.remember(alice, ALICE_JWT, aliceCaller, NOW_SECONDS + 30, NOW_MILLIS);

        assertEquals(Optional.empty(), tokens.lookup(CallerCredential.of("Bearer eyJ.alice.sig2")));
        assertEquals(Optional.empty(), tokens.lookup(CallerCredential.of("bearer eyJ.alice.sig")));
        assertEquals(Optional.empty(), tokens.lookup(CallerCredential.of(null)));
    }

    @Test
    void tokensWithoutOrPastTheirExpiryAreNotRemembered() {
        tokens.remember(alice, ALICE_JWT, aliceCaller, 0, NOW_MILLIS);
        assertEquals(Optional.empty(), tokens.lookup(alice));

        tokens.remember(alice, ALICE_JWT, aliceCaller, NOW_SECONDS - 1, NOW_MILLIS);
        assertEquals(Optional.empty(), tokens.lookup(alice));
    }

    @Test
    void theCacheIsBoundedInEntries() {
        VerifiedTokens small = new VerifiedTokens(config(10, Duration.ofSeconds(60)), registry, nanos::get);
        for (int i = 0; i < 1_000; i++) {
            small.remember(
                    CallerCredential.of("Bearer t" + i), "t" + i, new Caller("c" + i), NOW_SECONDS + 30, NOW_MILLIS);
        }
        int recognised = 0;
        for (int i = 0; i < 1_000; i++) {
            recognised += small.lookup(CallerCredential.of("Bearer t" + i)).isPresent() ? 1 : 0;
        }
        assertTrue(recognised <= 10, "at most max-entries tokens remembered, got " + recognised);
    }

    @Test
    void onlyATokenVerifiedFromThisVeryHeaderIsRemembered() {
        // Quarkus OIDC took its token from elsewhere (quarkus.oidc.token.header), or another scheme carried it.
        tokens.remember(alice, "eyJ.someone-else.sig", aliceCaller, NOW_SECONDS + 30, NOW_MILLIS);
        tokens.remember(alice, null, aliceCaller, NOW_SECONDS + 30, NOW_MILLIS);
        CallerCredential dpop = CallerCredential.of("DPoP " + ALICE_JWT);
        tokens.remember(dpop, ALICE_JWT, aliceCaller, NOW_SECONDS + 30, NOW_MILLIS);

        assertEquals(Optional.empty(), tokens.lookup(alice));
        assertEquals(Optional.empty(), tokens.lookup(dpop));
    }

    @Test
    void aFarFutureExpiryIsBoundedByTheMaximumAgeNotAnOverflow() {
        tokens.remember(alice, ALICE_JWT, aliceCaller, 253_402_300_799L, NOW_MILLIS); // 9999-12-31
        tokens.remember(alice, ALICE_JWT, aliceCaller, Long.MAX_VALUE, NOW_MILLIS);

        assertEquals(Optional.of(aliceCaller), tokens.lookup(alice));
        advance(Duration.ofSeconds(60));
        assertEquals(Optional.empty(), tokens.lookup(alice));
    }

    @Test
    void hitsAndMissesAreCounted() {
        tokens.lookup(alice);
        tokens.remember(alice, ALICE_JWT, aliceCaller, NOW_SECONDS + 30, NOW_MILLIS);
        tokens.lookup(alice);
        tokens.lookup(alice);

        assertEquals(
                2.0,
                registry.get("gateway.auth.token_cache")
                        .tag("result", "hit")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("gateway.auth.token_cache")
                        .tag("result", "miss")
                        .counter()
                        .count());
    }

    @Test
    void theCredentialNeverPrintsTheToken() {
        assertEquals("CallerCredential[redacted]", alice.toString());
    }

    private void advance(Duration duration) {
        nanos.addAndGet(TimeUnit.NANOSECONDS.convert(duration));
    }

    private static GatewayConfig.TokenCacheConfig config(int maxEntries, Duration maxAge) {
        return new GatewayConfig.TokenCacheConfig() {
            @Override
            public int maxEntries() {
                return maxEntries;
            }

            @Override
            public Duration maxAge() {
                return maxAge;
            }
        };
    }
}
