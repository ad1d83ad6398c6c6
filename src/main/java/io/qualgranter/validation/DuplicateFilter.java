package io.qualgranter.validation;

import java.nio.file.Path;

import io.qualgranter.row.GrantRequest;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Remembers the first valid row of each (qualification type, worker) pair and the value it asked for,
 * exactly, in bounded memory.
 *
 * <p>In memory: a primitive map ({@link LongLongMap}) from a 64-bit fingerprint of the pair to the offset of its exact key
 * in an append-only scratch file ({@link PairKeyFile}), about 16-32 bytes a pair (~32 MB for a
 * million pairs). A fingerprint hit is confirmed by reading the key back: a collision between two
 * different pairs never makes a row DUPLICATE, it just chains the second pair behind the first.
 * Past {@code maxInMemory} fingerprints (a quarter of the heap by default) further fingerprints go
 * to an on-disk H2 MVStore map beside the scratch file, so a file of any size fits: slower, never
 * an OutOfMemoryError. Both files live in the run directory and are deleted on close.
 */
public final class DuplicateFilter implements AutoCloseable {

    /** The 64-bit fingerprint of a pair; replaceable so that tests can force collisions. */
    @FunctionalInterface
    public interface Fingerprint {
        long of(String qualificationTypeId, String workerId);
    }

    /** Worst case, while the open-addressing table doubles: old and new arrays of 16-byte slots. */
    private static final long BYTES_PER_PAIR = 48;

    private final LongLongMap heads = new LongLongMap(PairKeyFile.NONE);
    private final PairKeyFile keys;
    private final Fingerprint fingerprint;
    private final long maxInMemory;
    private final Path overflowFile;
    private MVStore overflowStore;
    private MVMap<Long, Long> overflow;

    /** A filter whose scratch files are {@code scratch} and {@code scratch + ".overflow"}. */
    public DuplicateFilter(Path scratch) {
        this(scratch, new TypeThenWorker(), Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_PAIR);
    }

    DuplicateFilter(Path scratch, Fingerprint fingerprint, long maxInMemory) {
        this.keys = new PairKeyFile(scratch);
        this.fingerprint = fingerprint;
        this.maxInMemory = Math.max(maxInMemory, 1);
        this.overflowFile = scratch.resolveSibling(scratch.getFileName() + ".overflow");
    }

    /** Records the request if its pair is new; otherwise answers the value of the pair's first row. */
    public Integer firstValueOrRecord(GrantRequest request) {
        String type = request.qualificationTypeId();
        String worker = request.workerId();
        long key = fingerprint.of(type, worker);
        long head;
        boolean inMemory;
        if (overflow == null && heads.size() < maxInMemory) {
            // the common case, a new pair: one probe of the table both finds the fingerprint absent and
            // takes its slot for the record written next
            head = heads.putIfAbsent(key, keys.nextOffset());
            if (head == PairKeyFile.NONE) {
                keys.append(type, worker, request.integerValue(), PairKeyFile.NONE);
                return null;
            }
            inMemory = true;
        } else {
            head = heads.get(key);
            inMemory = head != PairKeyFile.NONE;
            if (!inMemory && overflow != null) {
                Long onDisk = overflow.get(key);
                head = onDisk == null ? PairKeyFile.NONE : onDisk;
            }
        }
        for (long offset = head; offset != PairKeyFile.NONE; ) {
            PairKeyFile.Entry entry = keys.read(offset, type, worker);
            if (entry.sameKey()) {
                return entry.value();
            }
            offset = entry.previous();
        }
        long offset = keys.append(type, worker, request.integerValue(), head);
        if (inMemory || (overflow == null && heads.size() < maxInMemory)) {
            heads.put(key, offset);
        } else {
            overflow().put(key, offset);
        }
        return null;
    }

    /** Distinct fingerprints seen (equal to the distinct pairs unless fingerprints collided). */
    public long fingerprints() {
        return heads.size() + (overflow == null ? 0 : overflow.sizeAsLong());
    }

    /** Whether fingerprints have gone to the on-disk map. */
    public boolean spilled() {
        return overflow != null;
    }

    private MVMap<Long, Long> overflow() {
        if (overflow == null) {
            overflowFile.toFile().delete(); // a leftover of a crashed execution must not be reused
            overflowStore = new MVStore.Builder().fileName(overflowFile.toString()).cacheSize(8).open();
            overflow = overflowStore.openMap("heads");
        }
        return overflow;
    }

    @Override
    public void close() {
        keys.close();
        if (overflowStore != null) {
            overflowStore.closeImmediately();
            overflowFile.toFile().delete();
        }
    }

    static long fingerprint(String typeId, String workerId) {
        return mix64(fnv(fnvType(typeId), workerId));
    }

    /** The finalizer of MurmurHash3 (fmix64): every input bit moves every output bit. */
    private static long mix64(long h) {
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** FNV-1a over the type id, then a separator. */
    private static long fnvType(String typeId) {
        long h = fnv(0xcbf29ce484222325L, typeId);
        return (h ^ 0xff) * 0x100000001b3L;
    }

    private static long fnv(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /** {@link #fingerprint}, with the type's part kept for the last few types (a file's rows share a few types). */
    private static final class TypeThenWorker implements Fingerprint {
        private final RecentTypes typeHashes = new RecentTypes(DuplicateFilter::fnvType);

        @Override
        public long of(String qualificationTypeId, String workerId) {
            return mix64(fnv(typeHashes.value(qualificationTypeId), workerId));
        }
    }
}
