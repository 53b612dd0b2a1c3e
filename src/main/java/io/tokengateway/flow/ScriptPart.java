package io.tokengateway.flow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Lua script shipped as a classpath resource beside the {@link RoundParticipant} that uses it, run as one part
 * of a round: it sees only its own {@code KEYS} and {@code ARGV}, and returns its reply and whether the round goes
 * on (an admission round ends at the first part that says no).
 *
 * @param name the resource's file name ({@code claim.lua}): how logs and the fault metric name it
 */
public record ScriptPart(String name, String source) {

    /** Loads {@code resource} (a classpath path such as {@code io/tokengateway/idempotency/claim.lua}). */
    public static ScriptPart load(String resource) {
        return new ScriptPart(resource.substring(resource.lastIndexOf('/') + 1), read(resource));
    }

    /** The text of a classpath resource (the runtime reads its driver, {@code round.lua}, with it too). */
    public static String read(String resource) {
        try (InputStream in = ScriptPart.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script not found on the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
