package io.tokengateway.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

import io.tokengateway.flow.ScriptPart;

/**
 * The script a round runs: every part it may call, each wrapped as a function of its own {@code KEYS} and
 * {@code ARGV}, then {@code round.lua}, which calls them in order. Composed once; run by its SHA-1
 * ({@code EVALSHA}), so its text crosses the wire only when Redis does not know it yet.
 */
public record LuaScript(String source, String sha1) {

    private static final String DRIVER = ScriptPart.read("io/tokengateway/redis/round.lua");

    /** The round script holding {@code parts} (duplicates ignored). */
    public static LuaScript round(Collection<ScriptPart> parts) {
        StringBuilder source = new StringBuilder("local PARTS = {}\n");
        Set<String> names = new HashSet<>();
        for (ScriptPart part : new LinkedHashSet<>(parts)) {
            if (!names.add(part.name())) {
                throw new IllegalArgumentException("two round parts are named " + part.name());
            }
            source.append("PARTS['")
                    .append(part.name())
                    .append("'] = function(KEYS, ARGV)\n")
                    .append(part.source())
                    .append("\nend\n");
        }
        String text = source.append(DRIVER).toString();
        return new LuaScript(text, sha1(text));
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
