package io.tokengateway.auth;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.flow.CallerCredential;

/**
 * Bearer tokens Quarkus OIDC has verified, so that a token's signature and claims are checked once, not on
 * every request (an RS256 check and two JSON parses cost more than the rest of a read). Bounded in entries;
 * an entry lives until its token expires, and never longer than {@code gateway.auth.token-cache.max-age},
 * which bounds how long a token signed with a key the issuer has since withdrawn is still honoured (Quarkus
 * OIDC itself only refetches its keys when it meets an unknown key id). Remembered by the SHA-256 of the
 * whole {@code Authorization} header: the cache never holds a token, and a hit is the exact header verified.
 */
@Singleton
public class VerifiedTokens {

    /** 256 bits as four longs: a compact key whose equality is the digest's. */
    record Digest(long a, long b, long c, long d) {
        static Digest of(CallerCredential credential) {
            ByteBuffer bytes = ByteBuffer.wrap(credential.sha256());
            return new Digest(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
        }
    }

    /** A verified token's caller and the moment (nano clock) it stops being trusted from the cache. */
    private record Entry(Caller caller, long validUntilNanos) {}

    private final Cache<Digest, Entry> entries;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final Counter hits;
    private final Counter misses;

    @Inject
    VerifiedTokens(GatewayConfig config, MeterRegistry registry) {
        this(config.auth().tokenCache(), registry, System::nanoTime);
    }

    VerifiedTokens(GatewayConfig.TokenCacheConfig config, MeterRegistry registry, LongSupplier nanoClock) {
        this.maxAgeNanos = config.maxAge().toNanos();
        this.nanoClock = nanoClock;
        this.entries = Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .ticker(nanoClock::getAsLong)
                .executor(Runnable::run) // eviction work on the caller's thread, never a pool's
                .expireAfter(new Expiry<Digest, Entry>() {
                    @Override
                    public long expireAfterCreate(Digest key, Entry entry, long now) {
                        return Math.max(0, entry.validUntilNanos() - now);
                    }

                    @Override
                    public long expireAfterUpdate(Digest key, Entry entry, long now, long current) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(Digest key, Entry entry, long now, long current) {
                        return current;
                    }
                })
                .build();
        this.hits = Counter.builder("gateway.auth.token_cache")
                .tag("result", "hit")
                .description("Bearer tokens recognised as verified before")
                .register(registry);
        this.misses = Counter.builder("gateway.auth.token_cache")
                .tag("result", "miss")
                .description("Bearer tokens verified by Quarkus OIDC")
                .register(registry);
    }

    /** The caller of a token verified before and still valid; empty when it must be verified. */
    Optional<Caller> lookup(CallerCredential credential) {
        if (!credential.isPresent()) {
            return Optional.empty();
        }
        Entry entry = entries.getIfPresent(Digest.of(credential));
        // Caffeine may hand out an entry whose time passed but was not yet evicted: check it here too.
        if (entry == null || entry.validUntilNanos() - nanoClock.getAsLong() <= 0) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry.caller());
    }

    /**
     * Remembers a token Quarkus OIDC has just verified, until {@code expiresAtEpochSecond} (its {@code exp})
     * or the maximum age, whichever comes first. Only when the header is exactly {@code Bearer <the token
     * verified>}: a token Quarkus read from anywhere else (another configured header, another scheme) is never
     * remembered under this header. A token without an expiry is not remembered.
     */
    void remember(
            CallerCredential credential,
            String verifiedToken,
            Caller caller,
            long expiresAtEpochSecond,
            long nowEpochMillis) {
        if (!credential.carries(verifiedToken) || expiresAtEpochSecond <= 0) {
            return;
        }
        long untilExpiryMillis = expiresAtEpochSecond >= Long.MAX_VALUE / 1000
                ? Long.MAX_VALUE
                : expiresAtEpochSecond * 1000 - nowEpochMillis;
        long lifetime = Math.min(TimeUnit.MILLISECONDS.toNanos(untilExpiryMillis), maxAgeNanos); // saturates
        if (lifetime > 0) {
            entries.put(Digest.of(credential), new Entry(caller, nanoClock.getAsLong() + lifetime));
        }
    }
}
