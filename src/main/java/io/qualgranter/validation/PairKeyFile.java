package io.qualgranter.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only scratch file of exact (type, worker) keys for {@link DuplicateFilter}: each record
 * holds a pair's first value, its key, and the offset of the previous record whose pair had the
 * same fingerprint (a chain on disk, so any number of fingerprint collisions stays exact).
 * Records are written through a buffer and read back by offset; the file is deleted on close.
 *
 * <p>Record: {@code previous offset (8) | value (4) | type length (1) | worker length (1) | type | worker},
 * ids being the service model's ASCII {@code [A-Z0-9]}, at most 64 characters each.
 */
final class PairKeyFile implements AutoCloseable {

    static final long NONE = -1;
    private static final int HEADER = 14;
    private static final int MAX_RECORD = HEADER + 2 * RowValidator.MAX_ID_LENGTH;

    private final FileChannel channel;
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 16);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(MAX_RECORD);
    private long flushed;

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
        long offset = flushed + pending.position();
        pending.putLong(previous).putInt(value).put((byte) type.length()).put((byte) worker.length());
        putAscii(type);
        putAscii(worker);
        return offset;
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
        int typeLength = record.get();
        int workerLength = record.get();
        boolean same = typeLength == type.length() && workerLength == worker.length()
                && matches(record, type) && matches(record, worker);
        return new Entry(same, value, previous);
    }

    private void putAscii(String id) {
        for (int i = 0; i < id.length(); i++) {
            pending.put((byte) id.charAt(i));
        }
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
