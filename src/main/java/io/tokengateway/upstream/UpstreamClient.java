package io.tokengateway.upstream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.tokengateway.config.GatewayConfig;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * The one non-blocking HTTP client for every provider call: pooled keep-alive connections per
 * upstream host, connect timeout, no redirects followed (an upstream redirect is passed back as is,
 * never chased with the merchant's credentials).
 */
@ApplicationScoped
public class UpstreamClient {

    private final WebClient client;

    UpstreamClient(Vertx vertx, GatewayConfig config) {
        GatewayConfig.UpstreamConfig upstream = config.upstream();
        WebClientOptions options = new WebClientOptions()
                .setConnectTimeout(Math.toIntExact(upstream.connectTimeout().toMillis()))
                .setMaxPoolSize(upstream.maxConnections())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setFollowRedirects(false)
                .setUserAgent("tokengateway")
                .setVerifyHost(true);
        this.client = WebClient.create(vertx, options);
    }

    WebClient webClient() {
        return client;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
