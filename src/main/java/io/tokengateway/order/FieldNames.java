package io.tokengateway.order;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The field names of the JSON objects open at one point of a parse, to reject a name repeated within one
 * object, at any depth: a duplicated key is ambiguous (the provider might read the other value than the
 * gateway checked).
 *
 * <p>Jackson's own {@code STRICT_DUPLICATE_DETECTION} builds a {@code HashSet} for every object of more than
 * two fields: a fifth of the validation's time on a 1000-line order. The objects of an order have a dozen
 * fields or so, so one stack of names serves every open object without allocating: each object keeps a
 * 64-bit mask with one bit per name, chosen by the name's hash, and a name whose bit is clear is new without
 * a comparison; on a shared bit the object's names are compared (hash, then identity, Jackson hands out one
 * canonical {@code String} per name, then {@code equals}). An object of more than {@value #LINEAR_LIMIT}
 * names moves to a set, so a body of many thousand fields cannot make the check quadratic.
 */
final class FieldNames {

    static final int LINEAR_LIMIT = 24;

    /** Names of the open objects, outermost first; open object {@code d} owns {@code names[starts[d]..size)}. */
    private String[] names = new String[32];

    private int[] hashes = new int[32];
    private int size;
    private int[] starts = new int[8];
    private long[] bits = new long[8];
    /** Per open object: its names as a set once it outgrew {@link #LINEAR_LIMIT}, else null. */
    private Set<?>[] wide = new Set<?>[8];

    private int depth;

    /** An object starts: its names are checked against each other only. */
    void open() {
        if (depth == starts.length) {
            starts = Arrays.copyOf(starts, depth * 2);
            bits = Arrays.copyOf(bits, depth * 2);
            wide = Arrays.copyOf(wide, depth * 2);
        }
        starts[depth] = size;
        bits[depth] = 0;
        wide[depth] = null;
        depth++;
    }

    /** The innermost open object ends. */
    void close() {
        depth--;
        size = starts[depth];
        wide[depth] = null;
    }

    /** Records a name of the innermost open object; false when the object already has it. */
    @SuppressWarnings("unchecked")
    boolean add(String name) {
        int level = depth - 1;
        Set<String> set = (Set<String>) wide[level];
        if (set != null) {
            return set.add(name);
        }
        int hash = name.hashCode();
        int start = starts[level];
        long bit = 1L << (hash ^ (hash >>> 6)); // a long shift takes the low six bits
        if ((bits[level] & bit) != 0) {
            for (int i = start; i < size; i++) {
                if (hashes[i] == hash && (names[i] == name || names[i].equals(name))) {
                    return false;
                }
            }
        }
        bits[level] |= bit;
        if (size - start == LINEAR_LIMIT) {
            set = new HashSet<>(Arrays.asList(names).subList(start, size));
            set.add(name);
            wide[level] = set;
            return true;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        names[size] = name;
        hashes[size] = hash;
        size++;
        return true;
    }
}
