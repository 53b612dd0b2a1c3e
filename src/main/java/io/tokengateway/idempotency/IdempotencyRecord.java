package io.tokengateway.idempotency;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What Redis holds for one merchant + idempotency key: who claimed it for which request, and, once the
 * provider answered definitely, that answer to replay byte for byte. The request is held only as a
 * SHA-256 fingerprint over operation, customer token and body together, so the same key sent for another
 * customer token is another request, never a replay of the first token's answer; the token itself is not kept.
 *
 * <p>Records written before the fingerprint covered the token ({@code format} 1, no {@code v} field) cannot
 * tell which token they were for: they are never replayed (see {@link #isLegacy()}).
 *
 * @param owner    random id of the claim, so completion and release can prove they still own the key
 * @param format   {@link #FORMAT} for records written by this version; 1 for legacy records
 * @param response the stored answer; null while the first request is in flight
 */
public record IdempotencyRecord(
        String owner, String caller, Operation operation, String fingerprint, int format, GatewayResponse response) {

    static final int FORMAT = 2;

    public static IdempotencyRecord pending(String owner, String caller, Operation operation, String fingerprint) {
        return new IdempotencyRecord(owner, caller, operation, fingerprint, FORMAT, null);
    }

    public IdempotencyRecord finished(GatewayResponse answer) {
        return new IdempotencyRecord(owner, caller, operation, fingerprint, format, answer);
    }

    public boolean isPending() {
        return response == null;
    }

    /** Written by a version whose fingerprint did not cover the customer token. */
    public boolean isLegacy() {
        return format < FORMAT;
    }

    /** Same caller, operation, customer token and body: the same request, sent again. */
    public boolean isSameRequestAs(IdempotencyRecord other) {
        return !isLegacy()
                && !other.isLegacy()
                && caller.equals(other.caller)
                && operation == other.operation
                && fingerprint.equals(other.fingerprint);
    }

    String toJson() {
        JsonObject json = new JsonObject()
                .put("v", format)
                .put("owner", owner)
                .put("caller", caller)
                .put("operation", operation.id())
                .put("fingerprint", fingerprint);
        if (response != null) {
            JsonObject headers = new JsonObject();
            response.headers().forEach(headers::put);
            json.put("status", response.status())
                    .put("headers", headers)
                    .put(
                            "body",
                            Base64.getEncoder().encodeToString(response.body().getBytes()));
        }
        return json.encode();
    }

    static IdempotencyRecord fromJson(String text) {
        JsonObject json = new JsonObject(text);
        GatewayResponse response = null;
        if (json.containsKey("status")) {
            Map<String, String> headers = new LinkedHashMap<>();
            json.getJsonObject("headers").forEach(header -> headers.put(header.getKey(), (String) header.getValue()));
            response = new GatewayResponse(
                    json.getInteger("status"),
                    headers,
                    Buffer.buffer(Base64.getDecoder().decode(json.getString("body"))));
        }
        return new IdempotencyRecord(
                json.getString("owner"),
                json.getString("caller"),
                Operation.fromId(json.getString("operation")),
                json.getString("fingerprint"),
                json.getInteger("v", 1),
                response);
    }
}
