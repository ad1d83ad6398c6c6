package io.qualgranter.input;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Counts the characters read since the current record started and fails past a limit, so that a
 * file without line breaks (or with a quote that never closes) cannot fill the heap.
 */
final class RecordSizeLimit extends FilterReader {

    /** Thrown through the CSV parser when one record grows past the limit. */
    static final class RecordTooLongException extends IOException {
        RecordTooLongException(long max) {
            super("a record longer than " + max + " characters");
        }
    }

    private final int max;
    private long count;

    RecordSizeLimit(Reader in, int max) {
        super(in);
        this.max = max;
    }

    int max() {
        return max;
    }

    void startRecord() {
        count = 0;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            counted(1);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) throws IOException {
        count += n;
        if (count > max) {
            throw new RecordTooLongException(max);
        }
    }
}
