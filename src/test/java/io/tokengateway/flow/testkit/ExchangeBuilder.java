package io.tokengateway.flow.testkit;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tokengateway.auth.Caller;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Fact;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.flow.Operation;
import io.tokengateway.merchant.Credentials;
import io.tokengateway.merchant.Merchant;

/**
 * An exchange as a step finds it, built in a test: the request's operation, headers and body, plus the
 * facts earlier steps would have established. Defaults describe a well-formed request of caller
 * {@code orders-team} for merchant {@code main-shop}; set only what the test is about.
 */
public final class ExchangeBuilder {

    private final Operation operation;
    private String token = "kct-test-token";
    private String rawPath;
    private String merchantHeader;
    private String idempotencyKey;
    private String correlationIdHeader;
    private String contentType;
    private byte[] body = new byte[0];
    private String authorization;
    private Uni<SecurityIdentity> identity =
            Uni.createFrom().failure(new IllegalStateException("no identity in this test"));
    private final Map<Fact<?>, Object> facts = new LinkedHashMap<>();

    private ExchangeBuilder(Operation operation) {
        this.operation = operation;
        if (operation.hasBody()) {
            contentType = "application/json";
        }
    }

    public static ExchangeBuilder readToken() {
        return new ExchangeBuilder(Operation.READ_TOKEN);
    }

    public static ExchangeBuilder createOrder(String body) {
        return new ExchangeBuilder(Operation.CREATE_ORDER).body(body);
    }

    public static ExchangeBuilder cancelToken() {
        return new ExchangeBuilder(Operation.CANCEL_TOKEN).body("{\"status\":\"CANCELLED\"}");
    }

    /** A merchant account as the registry would hold it. */
    public static Merchant merchant(String id) {
        return new Merchant(
                id, URI.create("http://127.0.0.1:1"), Credentials.basic(id + "-user", id + "-secret"), true);
    }

    public ExchangeBuilder token(String token) {
        this.token = token;
        return this;
    }

    /** The path exactly as sent, when it differs from the operation's canonical path. */
    public ExchangeBuilder rawPath(String rawPath) {
        this.rawPath = rawPath;
        return this;
    }

    public ExchangeBuilder merchantHeader(String merchantId) {
        this.merchantHeader = merchantId;
        return this;
    }

    public ExchangeBuilder idempotencyKey(String key) {
        this.idempotencyKey = key;
        return this;
    }

    public ExchangeBuilder correlationIdHeader(String id) {
        this.correlationIdHeader = id;
        return this;
    }

    public ExchangeBuilder contentType(String contentType) {
        this.contentType = contentType;
        return this;
    }

    public ExchangeBuilder body(String body) {
        this.body = body.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** The caller's Authorization header as sent. */
    public ExchangeBuilder authorization(String header) {
        this.authorization = header;
        return this;
    }

    public ExchangeBuilder identity(Uni<SecurityIdentity> identity) {
        this.identity = identity;
        return this;
    }

    /** As if authenticated: the caller fact. */
    public ExchangeBuilder caller(String callerId) {
        return fact(Caller.FACT, new Caller(callerId));
    }

    /** As if authorized: the merchant fact. */
    public ExchangeBuilder merchant(Merchant merchant) {
        return fact(Merchant.FACT, merchant);
    }

    public <T> ExchangeBuilder fact(Fact<T> fact, T value) {
        facts.put(fact, value);
        return this;
    }

    @SuppressWarnings("unchecked")
    public Exchange build() {
        GatewayRequest request = new GatewayRequest(
                operation,
                rawPath != null ? rawPath : operation.path(token),
                token,
                merchantHeader,
                idempotencyKey,
                correlationIdHeader,
                "test-correlation-id",
                contentType,
                body,
                io.tokengateway.flow.CallerCredential.of(authorization),
                identity);
        Exchange exchange = new Exchange(request, System.nanoTime());
        facts.forEach((fact, value) -> exchange.establish((Fact<Object>) fact, value));
        return exchange;
    }
}
