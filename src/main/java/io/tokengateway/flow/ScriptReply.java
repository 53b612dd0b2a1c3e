package io.tokengateway.flow;

import java.util.List;
import java.util.Objects;

/**
 * What a part's Lua script replied, as Redis sent it: an integer, a text (a bulk or status string), or a list of
 * replies. The runtime hands it over in this form so that a step reads its reply without the Redis client's types.
 * Never printed with its content: a text may hold a stored answer.
 */
public final class ScriptReply {

    /** An element a list holds no value for. */
    public static final ScriptReply NIL = new ScriptReply(null);

    private final Object value; // a Long, a String, a List<ScriptReply>, or null for NIL

    private ScriptReply(Object value) {
        this.value = value;
    }

    public static ScriptReply integer(long value) {
        return new ScriptReply(value);
    }

    public static ScriptReply text(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a text reply has a text; NIL is no reply");
        }
        return new ScriptReply(value);
    }

    public static ScriptReply list(List<ScriptReply> items) {
        return new ScriptReply(List.copyOf(items));
    }

    /** The integer, or the text read as one (as Redis clients read a number sent as a string). */
    public long toLong() {
        if (value instanceof Long number) {
            return number;
        }
        if (value instanceof String text) {
            return Long.parseLong(text);
        }
        throw new IllegalStateException("not a number: " + this);
    }

    public int toInteger() {
        return Math.toIntExact(toLong());
    }

    /** The text, or the integer written out. */
    public String text() {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Long number) {
            return number.toString();
        }
        throw new IllegalStateException("not a text: " + this);
    }

    /** The {@code index}th element of a list reply. */
    public ScriptReply get(int index) {
        return items().get(index);
    }

    /** How many elements a list reply holds. */
    public int size() {
        return items().size();
    }

    @SuppressWarnings("unchecked")
    private List<ScriptReply> items() {
        if (value instanceof List<?> items) {
            return (List<ScriptReply>) items;
        }
        throw new IllegalStateException("not a list: " + this);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScriptReply reply && Objects.equals(value, reply.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    /** The kind and size only, never the content. */
    @Override
    public String toString() {
        if (value instanceof Long) {
            return "integer reply";
        }
        if (value instanceof String text) {
            return "text reply of " + text.length() + " chars";
        }
        if (value instanceof List<?> items) {
            return "list reply of " + items.size();
        }
        return "nil reply";
    }
}
