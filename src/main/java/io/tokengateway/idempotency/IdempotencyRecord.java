package io.tokengateway.idempotency;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.Operation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What Redis holds for one merchant + idempotency key: who claimed it for which request, and, once the
 * upstream answered, that answer to replay byte for byte. The request body is held only as its SHA-256
 * fingerprint; the customer token not at all.
 *
 * @param owner    random id of the claim, so completion and release can prove they still own the key
 * @param response the stored answer; null while the first request is in flight
 */
public record IdempotencyRecord(String owner, String caller, Operation operation, String fingerprint,
        GatewayResponse response) {

    public static IdempotencyRecord pending(String owner, String caller, Operation operation, String fingerprint) {
        return new IdempotencyRecord(owner, caller, operation, fingerprint, null);
    }

    public IdempotencyRecord finished(GatewayResponse answer) {
        return new IdempotencyRecord(owner, caller, operation, fingerprint, answer);
    }

    public boolean isPending() {
        return response == null;
    }

    /** Same caller, operation and body: the same request, sent again. */
    public boolean isSameRequestAs(IdempotencyRecord other) {
        return caller.equals(other.caller) && operation == other.operation && fingerprint.equals(other.fingerprint);
    }

    String toJson() {
        JsonObject json = new JsonObject().put("owner", owner).put("caller", caller).put("operation", operation.id())
                .put("fingerprint", fingerprint);
        if (response != null) {
            JsonObject headers = new JsonObject();
            response.headers().forEach(headers::put);
            json.put("status", response.status()).put("headers", headers)
                    .put("body", Base64.getEncoder().encodeToString(response.body().getBytes()));
        }
        return json.encode();
    }

    static IdempotencyRecord fromJson(String text) {
        JsonObject json = new JsonObject(text);
        GatewayResponse response = null;
        if (json.containsKey("status")) {
            Map<String, String> headers = new LinkedHashMap<>();
            json.getJsonObject("headers").forEach(header -> headers.put(header.getKey(), (String) header.getValue()));
            response = new GatewayResponse(json.getInteger("status"), headers,
                    Buffer.buffer(Base64.getDecoder().decode(json.getString("body"))));
        }
        return new IdempotencyRecord(json.getString("owner"), json.getString("caller"),
                Operation.fromId(json.getString("operation")), json.getString("fingerprint"), response);
    }
}
