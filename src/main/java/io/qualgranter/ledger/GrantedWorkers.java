package io.qualgranter.ledger;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import com.google.common.math.LongMath;
import io.qualgranter.ledger.GrantLedger.Entry;

/**
 * The ledger's granted pairs of one endpoint and qualification type, held in memory, exactly: worker
 * id → value granted, and by which execution, when. Loaded once per execution by {@link
 * GrantLedger#loadGranted}, so that a rerun settles its rows without a database round trip.
 *
 * <p>Compact: the workers' ids are UTF-8 bytes in one arena; the values and the origins (execution
 * and time: few distinct ones, interned) are int arrays; an open-addressing table of longs (32-bit
 * hash, entry) indexes them. About 30 bytes a pair plus the id's bytes, up to twice that as the arrays
 * grow by doubling (~46 MB for a million 14-character ids). A lookup
 * compares the hash, then the id's bytes: a hash collision never makes a row match another worker.
 * The arrays grow as pairs come; {@link #add} refuses a pair that would take the structures sharing
 * a {@link Budget} past it, and the caller then drops them all.
 */
final class GrantedWorkers {

    /** The bytes that the structures loaded together may take, shared. */
    static final class Budget {
        private long left;

        Budget(long bytes) {
            this.left = bytes;
        }

        long left() {
            return left;
        }

        private boolean take(long bytes) {
            if (bytes > left) {
                return false;
            }
            left -= bytes;
            return true;
        }
    }

    /** Per pair: end offset, value, origin (the table's slots are counted apart). */
    private static final long INT_BYTES_PER_PAIR = 3 * 4;
    /** A distinct (execution, time): the record, its boxed parts, the map node, the list slot. */
    private static final long BYTES_PER_ORIGIN = 160;
    private static final int FIRST_CAPACITY = 1024;

    private final Budget budget;
    private final ToIntFunction<String> hash;
    private long[] table;
    private int mask;
    private byte[] arena;
    private int arenaUsed;
    private int[] ends;
    private int[] values;
    private int[] origins;
    private int size;
    private final Map<Origin, Integer> originIds = new HashMap<>();
    private final List<Origin> originList = new ArrayList<>();
    private Origin lastOrigin;
    private Integer lastOriginId;

    private record Origin(Long grantedBy, LocalDateTime grantedAt, boolean heldAtService) {
    }

    GrantedWorkers(Budget budget) {
        this(budget, GrantedWorkers::hash);
    }

    /** With the hash function given, so that tests can make every worker collide. */
    GrantedWorkers(Budget budget, ToIntFunction<String> hash) {
        this.budget = budget;
        this.hash = hash;
        table = new long[0];
        arena = new byte[0];
        ends = new int[0];
        values = new int[0];
        origins = new int[0];
    }

    /** What {@code pairs} pairs whose ids have {@code idBytes} bytes in all take, about (arrays just fitted). */
    static long bytesFor(long pairs, long idBytes) {
        return tableCapacity(pairs) * 8L + idBytes + INT_BYTES_PER_PAIR * pairs;
    }

    /**
     * Adds a granted pair (each worker once: the ledger's key). False, with nothing added, when that would
     * take the structures of the budget past it.
     */
    boolean add(String workerId, int value, Long grantedBy, LocalDateTime grantedAt) {
        return add(workerId, value, grantedBy, grantedAt, false);
    }

    /** As {@link #add(String, int, Long, LocalDateTime)}, for a pair listed as held at the service when {@code heldAtService}. */
    boolean add(String workerId, int value, Long grantedBy, LocalDateTime grantedAt, boolean heldAtService) {
        byte[] id = workerId.getBytes(StandardCharsets.UTF_8);
        if (!makeRoom(id.length)) {
            return false;
        }
        Origin origin = new Origin(grantedBy, grantedAt, heldAtService);
        Integer originId = origin.equals(lastOrigin) ? lastOriginId : originIds.get(origin);
        if (originId == null) {
            if (!budget.take(BYTES_PER_ORIGIN)) {
                return false;
            }
            originId = originList.size();
            originIds.put(origin, originId);
            originList.add(origin);
        }
        lastOrigin = origin;
        lastOriginId = originId;
        System.arraycopy(id, 0, arena, arenaUsed, id.length);
        arenaUsed += id.length;
        ends[size] = arenaUsed;
        values[size] = value;
        origins[size] = originId;
        int h = hash.applyAsInt(workerId);
        int slot = h & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = ((long) h << 32) | (size + 1L);
        size++;
        return true;
    }

    /** What the ledger said about this worker (granted, not pending), or null when it held nothing. */
    Entry find(String workerId) {
        if (size == 0) {
            return null;
        }
        int h = hash.applyAsInt(workerId);
        for (int slot = h & mask; table[slot] != 0; slot = (slot + 1) & mask) {
            long cell = table[slot];
            if ((int) (cell >>> 32) == h) {
                int index = (int) cell - 1;
                if (sameId(index, workerId)) {
                    Origin origin = originList.get(origins[index]);
                    return new Entry(values[index], origin.grantedBy(), origin.grantedAt(), null, null,
                            origin.heldAtService());
                }
            }
        }
        return null;
    }

    int size() {
        return size;
    }

    private boolean sameId(int index, String workerId) {
        int from = index == 0 ? 0 : ends[index - 1];
        int length = ends[index] - from;
        int chars = workerId.length();
        if (length < chars) {
            return false;
        }
        for (int i = 0; i < chars; i++) {
            char c = workerId.charAt(i);
            if (c >= 0x80) {
                byte[] id = workerId.getBytes(StandardCharsets.UTF_8);
                return Arrays.equals(arena, from, from + length, id, 0, id.length);
            }
            if (arena[from + i] != (byte) c) {
                return false;
            }
        }
        return length == chars;
    }

    /** Grows what must grow for one more pair of {@code idBytes}; false when the budget does not allow it. */
    private boolean makeRoom(int idBytes) {
        if (size == ends.length) {
            long pairs = Math.max(FIRST_CAPACITY, (long) ends.length * 2);
            long tableSlots = tableCapacity(pairs);
            long more = (tableSlots - table.length) * 8 + (pairs - ends.length) * INT_BYTES_PER_PAIR;
            if (pairs > Integer.MAX_VALUE - 16 || tableSlots > 1 << 30 || !budget.take(more)) {
                return false;
            }
            ends = Arrays.copyOf(ends, (int) pairs);
            values = Arrays.copyOf(values, (int) pairs);
            origins = Arrays.copyOf(origins, (int) pairs);
            rehash((int) tableSlots);
        }
        if (arenaUsed + idBytes > arena.length) {
            long bytes = Math.max(Math.max(FIRST_CAPACITY * 16L, (long) arena.length * 2), (long) arenaUsed + idBytes);
            if (bytes > Integer.MAX_VALUE - 16 || !budget.take(bytes - arena.length)) {
                return false;
            }
            arena = Arrays.copyOf(arena, (int) bytes);
        }
        return true;
    }

    private void rehash(int capacity) {
        long[] old = table;
        table = new long[capacity];
        mask = capacity - 1;
        for (long cell : old) {
            if (cell != 0) {
                int slot = (int) (cell >>> 32) & mask;
                while (table[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = cell;
            }
        }
    }

    /** A power of two with room for {@code pairs} at a load of at most 2/3. */
    private static long tableCapacity(long pairs) {
        return LongMath.ceilingPowerOfTwo(Math.max(pairs * 3 / 2 + 1, 16));
    }

    private static int hash(String workerId) {
        int h = workerId.hashCode() * 0x9E3779B9; // golden-ratio multiply, then fold the high bits down
        return h ^ (h >>> 16);
    }
}
