package io.tokengateway.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script shipped as a classpath resource beside the code that uses it, with its SHA-1 so it can be
 * run by {@code EVALSHA} (the script text crosses the wire only when Redis does not know it yet).
 */
public record LuaScript(String name, String source, String sha1) {

    /** Loads {@code resource} (a classpath path such as {@code io/tokengateway/idempotency/claim.lua}). */
    public static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Lua script not found on the classpath: " + resource);
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new LuaScript(resource.substring(resource.lastIndexOf('/') + 1), source, sha1(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
