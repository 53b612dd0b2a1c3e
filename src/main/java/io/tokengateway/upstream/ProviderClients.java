package io.tokengateway.upstream;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.LoggingScope;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.merchant.MerchantRegistry;

/**
 * One {@link CustomerTokenApi} client per merchant, built at start-up from the merchant's base URL and
 * credentials (not on a request's event loop, and a client that cannot be built stops the start) and kept
 * until shutdown, when all are closed.
 *
 * <p>Every client is built the same way: the default exception mapper off (every status is an answer), no
 * redirects followed (a redirect is passed back, never chased with the merchant's credentials), TLS host
 * verification on, no proxy (the provider is called directly, whatever {@code http.proxyHost} says), user
 * agent {@code tokengateway}, the connect timeout, and its own pool of keep-alive connections
 * ({@code gateway.upstream.max-connections}, at least {@code bulkhead.max-concurrent}). A pool per merchant, like the bulkhead, so that a merchant
 * whose calls hang cannot take another's connections; and with a pool at least as large as the bulkhead,
 * no admitted call waits for a connection (below, why that matters).
 *
 * <p>Everything that decides what reaches the provider or a log is set here, so that a global
 * {@code quarkus.rest-client.*} setting meant for other clients cannot change it: no request logging (it
 * would print credentials and tokens), no compression (an {@code Accept-Encoding} the gateway did not
 * choose), HTTP/1.1 only, the JVM's default trust store, host verification always on.
 *
 * <p>The read timeout is the whole forward's deadline. The forward step bounds each attempt itself and
 * cancels it when its share of the deadline is spent, which resets the HTTP request; this timeout is the
 * backstop for the one case cancellation cannot reach: a call cancelled while it still waited for a
 * connection (being made, or from a full pool). The client then never sends it, but neither gives back the
 * connection it gets afterwards: that connection stays taken until this timeout resets the unsent request.
 */
@Singleton
@io.quarkus.runtime.Startup
public class ProviderClients {

    private static final Logger LOG = Logger.getLogger(ProviderClients.class);

    private final GatewayConfig.UpstreamConfig config;
    private final Map<String, CustomerTokenApi> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    static final String OVERRIDE_URI = "quarkus.rest-client.\"" + CustomerTokenApi.class.getName() + "\".override-uri";

    ProviderClients(GatewayConfig config, MerchantRegistry merchants) {
        this.config = config.upstream();
        // Honoured even by programmatic clients: it would send every merchant's calls, with its credentials, to one
        // URL.
        if (ConfigProvider.getConfig()
                .getOptionalValue(OVERRIDE_URI, String.class)
                .isPresent()) {
            throw new IllegalStateException(
                    OVERRIDE_URI + " must not be set: each merchant's base-url decides where it goes");
        }
        merchants.all().forEach(this::of);
    }

    /** The merchant's client; merchants are fixed at start-up, so one per merchant id. */
    CustomerTokenApi of(Merchant merchant) {
        if (closed) {
            throw new IllegalStateException("the provider clients are closed");
        }
        return clients.computeIfAbsent(merchant.id(), id -> build(merchant));
    }

    private CustomerTokenApi build(Merchant merchant) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(merchant.baseUrl())
                .register(new MerchantAuthorization(merchant.credentials()))
                .disableDefaultMapper(true)
                .followRedirects(false)
                .verifyHost(true)
                .trustAll(false)
                .proxyAddress("none", 0)
                .userAgent("tokengateway")
                .loggingScope(LoggingScope.NONE)
                .enableCompression(false)
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .property(QuarkusRestClientProperties.KEEP_ALIVE_ENABLED, true)
                .property(
                        QuarkusRestClientProperties.CONNECTION_POOL_SIZE,
                        Math.max(config.maxConnections(), config.bulkhead().maxConcurrent()))
                .property(QuarkusRestClientProperties.HTTP2, false)
                .property(QuarkusRestClientProperties.ALPN, false)
                // applied last: quarkus.rest-client.verify-host would otherwise override verifyHost(true)
                .httpClientOptionsCustomizer(options -> options.setVerifyHost(true))
                .build(CustomerTokenApi.class);
    }

    @PreDestroy
    void close() {
        closed = true;
        clients.forEach((merchantId, client) -> {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                LOG.warnf(
                        "Closing the provider client of merchant %s failed: %s",
                        merchantId, e.getClass().getName());
            }
        });
        clients.clear();
    }
}
