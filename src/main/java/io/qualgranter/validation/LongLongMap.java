package io.qualgranter.validation;

/**
 * A map from {@code long} to {@code long} without boxing: open addressing with linear probing over two
 * parallel arrays, at most 3/4 full, doubling as it grows (16 bytes a slot). Only what
 * {@link DuplicateFilter} needs: get with a default, put, size. Key 0 marks a free slot, so the pair
 * whose key is 0 is kept apart.
 */
final class LongLongMap {

    private final long missing;
    private long[] keys;
    private long[] values;
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
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == 0) {
                return missing;
            }
        }
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
        int slot = slot(key);
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == 0) {
            keys[slot] = key;
            size++;
        }
        values[slot] = value;
        if (size > (keys.length / 4) * 3) {
            grow();
        }
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key != 0) {
                int slot = slot(key);
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                values[slot] = oldValues[i];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
    }
}
