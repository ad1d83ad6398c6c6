package io.qualgranter.validation;

import java.util.function.ToLongFunction;

/**
 * The last few qualification types met, each kept once with a value computed from it: a file's rows
 * share a few types, so per row a type is found here by a short scan instead of being hashed again.
 * Not thread-safe (one per step).
 */
final class RecentTypes {

    private static final int SIZE = 8;

    private final String[] types = new String[SIZE];
    private final long[] values = new long[SIZE];
    private final ToLongFunction<String> compute;
    private int next;

    /** @param compute the value kept with each type (computed once while the type stays among the last few) */
    RecentTypes(ToLongFunction<String> compute) {
        this.compute = compute;
    }

    /** The type as first met: one String per type, so its hash is computed once and it compares by reference. */
    String canonical(String type) {
        return types[slot(type)];
    }

    /** The type as first met if it is among the last few, else null (nothing added). */
    String known(String type) {
        int slot = find(type);
        return slot < 0 ? null : types[slot];
    }

    /** The value computed from the type. */
    long value(String type) {
        return values[slot(type)];
    }

    private int slot(String type) {
        int found = find(type);
        if (found >= 0) {
            return found;
        }
        int slot = next;
        next = (next + 1) % SIZE;
        types[slot] = type;
        values[slot] = compute.applyAsLong(type);
        return slot;
    }

    /** The type's slot, or -1. */
    private int find(String type) {
        for (int i = 0; i < SIZE && types[i] != null; i++) {
            if (types[i] == type || types[i].equals(type)) {
                return i;
            }
        }
        return -1;
    }
}
