package io.tokengateway.upstream;

import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.LoggingScope;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.merchant.Credentials;
import io.tokengateway.merchant.Merchant;

/**
 * One {@link CustomerTokenApi} client per merchant account: per merchant id, base URL and credentials. Clients are
 * built when a policy is applied ({@link #prepare}: at start, where a client that cannot be built stops the start,
 * and on the policy watcher's thread after a change; never on a request's event loop). A merchant whose base URL or
 * credentials change gets a new client; the old one serves the requests still running under the policy that named
 * it and is closed once none is left ({@link #retain}). All are closed at shutdown. Their number is published as
 * {@code gateway_upstream_clients}.
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
    private final Map<ClientKey, CustomerTokenApi> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** What a client is built from: a change of any of it is another client. */
    private record ClientKey(String merchantId, URI baseUrl, Credentials credentials) {
        static ClientKey of(Merchant merchant) {
            return new ClientKey(merchant.id(), merchant.baseUrl(), merchant.credentials());
        }
    }

    static final String OVERRIDE_URI = "quarkus.rest-client.\"" + CustomerTokenApi.class.getName() + "\".override-uri";

    ProviderClients(GatewayConfig config, MeterRegistry registry) {
        this.config = config.upstream();
        // Honoured even by programmatic clients: it would send every merchant's calls, with its credentials, to one
        // URL.
        if (ConfigProvider.getConfig()
                .getOptionalValue(OVERRIDE_URI, String.class)
                .isPresent()) {
            throw new IllegalStateException(
                    OVERRIDE_URI + " must not be set: each merchant's base-url decides where it goes");
        }
        registry.gaugeMapSize("gateway.upstream.clients", java.util.List.of(), clients);
    }

    /** Builds the clients a policy's merchants need and do not have yet. Blocking: never on an event loop. */
    public void prepare(Collection<Merchant> merchants) {
        merchants.forEach(this::of);
    }

    /**
     * Closes every client none of {@code live} uses: called once no request runs under a policy that named them,
     * never together with {@link #prepare} (the caller orders the two). Blocking: never on an event loop.
     */
    public void retain(Collection<Merchant> live) {
        Set<ClientKey> keep = live.stream().map(ClientKey::of).collect(Collectors.toSet());
        clients.keySet().stream().filter(key -> !keep.contains(key)).toList().forEach(key -> {
            CustomerTokenApi client = clients.remove(key);
            if (client != null) {
                close(key.merchantId(), client);
            }
        });
    }

    /** The merchant's client: the one of its base URL and credentials, built if no policy prepared it. */
    CustomerTokenApi of(Merchant merchant) {
        if (closed) {
            throw new IllegalStateException("the provider clients are closed");
        }
        return clients.computeIfAbsent(ClientKey.of(merchant), key -> build(merchant));
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
        clients.forEach((key, client) -> close(key.merchantId(), client));
        clients.clear();
    }

    private static void close(String merchantId, CustomerTokenApi client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "Closing the provider client of merchant %s failed: %s",
                    merchantId, e.getClass().getName());
        }
    }
}
