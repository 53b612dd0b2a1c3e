package io.tokengateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tokengateway.flow.Operation;

/**
 * The policy: who may call ({@code gateway.callers.*}) and the merchants they act for ({@code gateway.merchants.*}),
 * with their limits and credentials; and where it comes from ({@code gateway.policy.*}). The same mapping reads the
 * static configuration and, with {@code gateway.policy.file} set, the policy file at start and on every change
 * (DESIGN.md 9a), so both are read and validated by the same code.
 */
@ConfigMapping(prefix = "gateway")
public interface PolicyConfig {

    /** Caller id to what it may do. A caller that is not listed may do nothing. */
    Map<String, CallerPolicyConfig> callers();

    /** Merchant id to its provider account. */
    Map<String, MerchantConfig> merchants();

    PolicySourceConfig policy();

    /** Where callers and merchants come from when they can change without a restart. */
    interface PolicySourceConfig {
        /**
         * A properties file holding only {@code gateway.callers.*} and {@code gateway.merchants.*}: when set,
         * callers and merchants come from it alone, and a change of it or of a password file it names is applied
         * without a restart. In Kubernetes a ConfigMap volume (not {@code subPath}).
         */
        Optional<String> file();

        /**
         * The directory every {@code password-file} must lie in (the mounted Secret volume); required with
         * {@link #file()}. Whoever may edit the policy must not be able to name another file of the pod.
         */
        Optional<String> passwordDir();

        /** How often the policy file and password files are compared with what is applied, besides file events. */
        @WithDefault("2s")
        Duration checkInterval();
    }

    interface CallerPolicyConfig {
        /** Merchants the caller may act for. */
        Set<String> merchants();

        /** Operations the caller may call, by operation id ({@code read-token}, ...). */
        Set<Operation> operations();
    }

    interface MerchantConfig {
        /** The provider's base URL for this merchant, e.g. {@code https://api.playground.kustom.co}. */
        URI baseUrl();

        /** API username (the provider's "UID"). */
        String username();

        /** API password. Never logged; held only as a prepared Basic header. One of this or {@link #passwordFile()}. */
        Optional<String> password();

        /**
         * A file holding the API password (a mounted Secret key); a relative path is taken from the policy file's
         * directory. Read again when it changes.
         */
        Optional<String> passwordFile();

        /** Whether create-order must carry an idempotency key. */
        @WithDefault("true")
        boolean idempotencyRequired();

        MerchantRateLimitConfig rateLimit();

        OrderLimitConfig orderLimit();

        /** Shadow mode: limits are evaluated, counted, logged and audited, never enforced. */
        @WithDefault("false")
        boolean shadow();
    }

    /** The merchant's request budget, shared by every caller and every replica. */
    interface MerchantRateLimitConfig {
        /** Sustained requests per second (may be fractional, e.g. 0.5). */
        @WithDefault("180")
        double perSecond();

        /** Requests that may arrive at once. */
        @WithDefault("50")
        int burst();
    }

    /** Amount limits for create-order. Absent means no such limit. */
    interface OrderLimitConfig {
        /** Currencies the merchant may order in (ISO 4217); absent means any. */
        Optional<Set<String>> currencies();

        /** Largest order_amount of one order, minor units. */
        OptionalLong maxAmount();

        /** Largest sum of order_amount per currency over a rolling 24 h, minor units. */
        OptionalLong dailyAmount();
    }
}
