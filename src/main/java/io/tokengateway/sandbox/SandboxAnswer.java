package io.tokengateway.sandbox;

import io.vertx.core.json.JsonObject;

/** What the simulated provider answers: a status and a JSON body, or no body (null). */
record SandboxAnswer(int status, JsonObject body) {

    static SandboxAnswer error(int status, String errorCode, String message) {
        return new SandboxAnswer(
                status,
                new JsonObject()
                        .put("error_code", errorCode)
                        .put("error_messages", new io.vertx.core.json.JsonArray().add(message))
                        .put("correlation_id", java.util.UUID.randomUUID().toString()));
    }
}
