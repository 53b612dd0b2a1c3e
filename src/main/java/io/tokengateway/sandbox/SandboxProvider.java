package io.tokengateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.tokengateway.digest.Sha256;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The simulated provider's behaviour for the three operations, per API account (username), kept in
 * memory. Tokens need no set-up: every well-formed token exists and is {@code ACTIVE} until cancelled,
 * except tokens starting with {@code unknown}, which do not exist (404 {@code TOKEN_NOT_FOUND}); tokens
 * named {@code slow-<ms>-...} are answered that many milliseconds late (see {@link SandboxServer}).
 * Orders honour {@code Klarna-Idempotency-Key} the way the provider documents: a repeated key with the
 * same body gets the first order back, with another body 409.
 */
final class SandboxProvider {

    private record StoredOrder(String fingerprint, SandboxAnswer answer) {}

    private final Map<String, String> cancelledTokens = new ConcurrentHashMap<>();
    private final Map<String, StoredOrder> ordersByKey = new ConcurrentHashMap<>();

    SandboxAnswer readToken(String account, String token) {
        if (isUnknown(token)) {
            return notFound();
        }
        String status = cancelledTokens.containsKey(account + "/" + token) ? "CANCELLED" : "ACTIVE";
        return new SandboxAnswer(
                200,
                new JsonObject()
                        .put("status", status)
                        .put("payment_method_type", "CARD")
                        .put(
                                "card",
                                new JsonObject()
                                        .put("brand", "VISA")
                                        .put("masked_number", "************1111")
                                        .put("expiry_date", "12/2030")));
    }

    SandboxAnswer createOrder(String account, String token, String idempotencyKey, Buffer body) {
        if (isUnknown(token)) {
            return notFound();
        }
        if (cancelledTokens.containsKey(account + "/" + token)) {
            return SandboxAnswer.error(403, "TOKEN_CANCELLED", "The customer token has been cancelled.");
        }
        JsonObject order = parse(body);
        if (order == null
                || !(order.getValue("order_amount") instanceof Number)
                || !(order.getValue("purchase_currency") instanceof String)
                || order.getJsonArray("order_lines") == null) {
            return SandboxAnswer.error(
                    400, "BAD_VALUE", "order_amount, purchase_currency and order_lines are required.");
        }
        if (idempotencyKey == null) {
            return newOrder();
        }
        String fingerprint = Sha256.hex(body.getBytes());
        StoredOrder stored = ordersByKey.computeIfAbsent(
                account + "/" + idempotencyKey, key -> new StoredOrder(fingerprint, newOrder()));
        if (!stored.fingerprint().equals(fingerprint)) {
            return SandboxAnswer.error(
                    409, "IDEMPOTENCY_CONFLICT", "The idempotency key was used with another request.");
        }
        return stored.answer();
    }

    SandboxAnswer cancelToken(String account, String token, Buffer body) {
        if (isUnknown(token)) {
            return notFound();
        }
        JsonObject update = parse(body);
        if (update == null || !"CANCELLED".equals(update.getValue("status"))) {
            return SandboxAnswer.error(400, "BAD_VALUE", "status must be CANCELLED.");
        }
        cancelledTokens.put(account + "/" + token, token);
        return new SandboxAnswer(202, null);
    }

    private static SandboxAnswer newOrder() {
        String orderId = UUID.randomUUID().toString();
        return new SandboxAnswer(
                200,
                new JsonObject()
                        .put("order_id", orderId)
                        .put("fraud_status", "ACCEPTED")
                        .put("redirect_url", "https://sandbox.invalid/v1/sessions/" + orderId + "/redirect")
                        .put("authorized_payment_method", new JsonObject().put("type", "invoice")));
    }

    private static boolean isUnknown(String token) {
        return token.startsWith("unknown");
    }

    private static SandboxAnswer notFound() {
        return SandboxAnswer.error(404, "TOKEN_NOT_FOUND", "The customer token does not exist.");
    }

    private static JsonObject parse(Buffer body) {
        try {
            return body == null || body.length() == 0 ? null : new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    static String accountOf(String authorization, Map<String, String> credentials) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(
                    java.util.Base64.getDecoder()
                            .decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        return password.equals(credentials.get(username)) ? username : null;
    }
}
