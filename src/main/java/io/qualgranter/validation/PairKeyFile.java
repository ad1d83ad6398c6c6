package io.qualgranter.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * An append-only scratch file of exact (type, worker) keys for {@link DuplicateFilter}: each record
 * holds a pair's first value, its key, and the offset of the previous record whose pair had the
 * same fingerprint (a chain on disk, so any number of fingerprint collisions stays exact).
 * Records are written through a buffer and read back by offset; the file is deleted on close.
 *
 * <p>Record: {@code previous offset (8) | value (4) | type number (2) | worker length (1) | worker}, ids
 * being the service model's ASCII {@code [A-Z0-9]}, at most 64 characters each. A file's rows share a
 * few types, so each type is numbered once (in memory) and its records hold the number; past
 * {@value #NUMBERED_TYPES} types, a record holds {@code 0xFFFF | type length (1) | type} instead.
 */
final class PairKeyFile implements AutoCloseable {

    static final long NONE = -1;
    /** The most types numbered; further types are written out in each of their records. */
    static final int NUMBERED_TYPES = 4096;
    private static final short TYPE_WRITTEN_OUT = (short) 0xFFFF;
    private static final int HEADER = 15;
    private static final int MAX_RECORD = HEADER + 1 + 2 * RowValidator.MAX_ID_LENGTH;

    private final FileChannel channel;
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 16);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(MAX_RECORD);
    private long flushed;
    private final Map<String, Short> typeNumbers = new HashMap<>();
    /** The numbers of the last few types appended: a file's rows share a few types (one String each, the validator's). */
    private final RecentTypes recentNumbers = new RecentTypes(type -> typeNumber(type, true));

    /** What a record says: the pair's first value and the previous record in its fingerprint's chain. */
    record Entry(boolean sameKey, int value, long previous) {
    }

    PairKeyFile(Path file) {
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the duplicate-check scratch file " + file, e);
        }
    }

    /** Appends a record and answers its offset. */
    long append(String type, String worker, int value, long previous) {
        if (type.length() > RowValidator.MAX_ID_LENGTH || worker.length() > RowValidator.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("ids longer than " + RowValidator.MAX_ID_LENGTH + " characters");
        }
        if (pending.remaining() < MAX_RECORD) {
            flush();
        }
        long offset = nextOffset();
        short typeNumber = (short) recentNumbers.value(type);
        pending.putLong(previous).putInt(value).putShort(typeNumber).put((byte) worker.length());
        if (typeNumber == TYPE_WRITTEN_OUT) {
            pending.put((byte) type.length());
            putAscii(type);
        }
        putAscii(worker);
        return offset;
    }

    /** The offset the next {@link #append} writes its record at. */
    long nextOffset() {
        return flushed + pending.position(); // a flush before the record moves bytes to the file, not the offset
    }

    /** The type's number, numbering it if {@code add} and there is room; {@link #TYPE_WRITTEN_OUT} if it has none. */
    private short typeNumber(String type, boolean add) {
        Short number = typeNumbers.get(type);
        if (number == null) {
            if (!add || typeNumbers.size() >= NUMBERED_TYPES) {
                return TYPE_WRITTEN_OUT;
            }
            number = (short) typeNumbers.size();
            typeNumbers.put(type, number);
        }
        return number;
    }

    /** Reads the record at {@code offset} and compares its key with the given pair. */
    Entry read(long offset, String type, String worker) {
        ByteBuffer record;
        if (offset >= flushed) {
            record = pending.duplicate().position((int) (offset - flushed)).limit(pending.position());
        } else {
            readBuffer.clear();
            try {
                while (readBuffer.hasRemaining() && channel.read(readBuffer, offset + readBuffer.position()) > 0) {
                    // a record is at most MAX_RECORD bytes; reading past the file's end just stops
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the duplicate-check scratch file", e);
            }
            record = readBuffer.flip();
        }
        long previous = record.getLong();
        int value = record.getInt();
        short typeNumber = record.getShort();
        int workerLength = record.get();
        boolean same;
        if (typeNumber == TYPE_WRITTEN_OUT) {
            int typeLength = record.get();
            same = typeLength == type.length() && matches(record, type); // a numbered type is never written out
        } else {
            same = typeNumber == typeNumber(type, false);
        }
        same = same && workerLength == worker.length() && matches(record, worker);
        return new Entry(same, value, previous);
    }

    private void putAscii(String id) {
        byte[] bytes = pending.array(); // straight into the buffer's array: no check per byte
        int at = pending.position();
        for (int i = 0; i < id.length(); i++) {
            bytes[at + i] = (byte) id.charAt(i);
        }
        pending.position(at + id.length());
    }

    private static boolean matches(ByteBuffer record, String id) {
        for (int i = 0; i < id.length(); i++) {
            if (record.get() != (byte) id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void flush() {
        pending.flip();
        try {
            while (pending.hasRemaining()) {
                flushed += channel.write(pending, flushed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the duplicate-check scratch file", e);
        }
        pending.clear();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
