package io.qualgranter.validation;

/**
 * A map from {@code long} to {@code long} without boxing: open addressing with linear probing, at most
 * 3/4 full, doubling as it grows (16 bytes a slot). A slot's key and value lie side by side in one
 * array, so a lookup or an insert into a table far bigger than the CPU's caches costs one cache miss,
 * not one per array. Only what {@link DuplicateFilter} needs: get with a default, put, put-if-absent,
 * size. Key 0 marks a free slot, so the pair whose key is 0 is kept apart.
 */
final class LongLongMap {

    private final long missing;
    /** {@code key, value} of slot {@code i} at {@code 2i, 2i + 1}. */
    private long[] slots;
    private int mask;
    private int size;
    private boolean hasZeroKey;
    private long zeroKeyValue;

    /** An empty map whose {@link #get} answers {@code missing} for an absent key. */
    LongLongMap(long missing) {
        this.missing = missing;
        allocate(16);
    }

    long get(long key) {
        if (key == 0) {
            return hasZeroKey ? zeroKeyValue : missing;
        }
        int at = find(key);
        return slots[at] == key ? slots[at + 1] : missing;
    }

    void put(long key, long value) {
        if (key == 0) {
            if (!hasZeroKey) {
                hasZeroKey = true;
                size++;
            }
            zeroKeyValue = value;
            return;
        }
        int at = find(key);
        slots[at + 1] = value;
        if (slots[at] == 0) {
            slots[at] = key;
            grewBy1();
        }
    }

    /** Puts {@code value} if the key is absent and answers the missing value; else answers the key's value, unchanged. */
    long putIfAbsent(long key, long value) {
        if (key == 0) {
            if (hasZeroKey) {
                return zeroKeyValue;
            }
            put(0, value);
            return missing;
        }
        int at = find(key);
        if (slots[at] == key) {
            return slots[at + 1];
        }
        slots[at] = key;
        slots[at + 1] = value;
        grewBy1();
        return missing;
    }

    int size() {
        return size;
    }

    /** The index of the key's slot, or of the free slot where it would go. */
    private int find(long key) {
        int at = slot(key);
        while (slots[at] != 0 && slots[at] != key) {
            at = (at + 2) & mask;
        }
        return at;
    }

    /** The index (even) of the key's first slot to probe. */
    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return ((int) (h ^ (h >>> 32)) << 1) & mask;
    }

    private void grewBy1() {
        size++;
        if (size > (slots.length / 8) * 3) { // 3/4 of slots.length / 2 slots
            grow();
        }
    }

    private void grow() {
        long[] old = slots;
        allocate(old.length); // twice the slots: old.length / 2 slots before
        for (int i = 0; i < old.length; i += 2) {
            long key = old[i];
            if (key != 0) {
                int at = find(key);
                slots[at] = key;
                slots[at + 1] = old[i + 1];
            }
        }
    }

    /** A table of {@code capacity} slots (a power of two). */
    private void allocate(int capacity) {
        slots = new long[2 * capacity];
        mask = 2 * capacity - 1;
    }
}
