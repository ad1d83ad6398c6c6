package io.qualgranter.validation;

import io.qualgranter.grant.GrantRequest;
import it.unimi.dsi.fastutil.HashCommon;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * Remembers the first valid row of each (qualification type, worker) pair and the value it asked for.
 *
 * <p>Memory stays small for any file: a primitive map from a 64-bit fingerprint of the pair to the
 * first value (about 20 bytes a pair, ~20 MB for a million pairs), no strings kept. Two different
 * pairs with the same 64-bit fingerprint are astronomically unlikely (about 1 in 3·10^7 for a file
 * of a million pairs); see docs/decisions.md.
 */
public final class DuplicateFilter {

    private final Long2IntOpenHashMap firstValues = new Long2IntOpenHashMap();

    /** Records the request if its pair is new; otherwise answers the value of the pair's first row. */
    public Integer firstValueOrRecord(GrantRequest request) {
        long key = fingerprint(request.qualificationTypeId(), request.workerId());
        if (firstValues.containsKey(key)) {
            return firstValues.get(key);
        }
        firstValues.put(key, request.integerValue());
        return null;
    }

    public int size() {
        return firstValues.size();
    }

    static long fingerprint(String typeId, String workerId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < typeId.length(); i++) {
            h = (h ^ typeId.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
        for (int i = 0; i < workerId.length(); i++) {
            h = (h ^ workerId.charAt(i)) * 0x100000001b3L;
        }
        return HashCommon.murmurHash3(h);
    }
}
