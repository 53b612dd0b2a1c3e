package io.tokengateway.error;

import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The provider's error shape, so callers parse one format whoever answered:
 * {@code {"error_code": "...", "error_messages": ["..."], "correlation_id": "..."}}.
 */
public record ErrorBody(String errorCode, List<String> errorMessages, String correlationId) {

    public Buffer toJson() {
        return new JsonObject()
                .put("error_code", errorCode)
                .put("error_messages", new JsonArray(List.copyOf(errorMessages)))
                .put("correlation_id", correlationId)
                .toBuffer();
    }
}
