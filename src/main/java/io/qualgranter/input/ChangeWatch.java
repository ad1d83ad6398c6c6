package io.qualgranter.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Sits under the read buffer of a run's input and, before each block is read from the file (every
 * 64 KB, not every row), checks that the file still has the size and modification time it had when
 * opened: a file that grows or is rewritten while a step reads it is caught before any byte read
 * after the change is used. The SHA-256 at the end catches what a stat cannot.
 */
final class ChangeWatch extends FilterInputStream {

    /** The file is not the one that was opened any more; carries what was seen. */
    static final class ChangedException extends IOException {
        final long sizeThen;
        final long sizeNow;

        ChangedException(long sizeThen, long sizeNow) {
            super("the file changed while it was read");
            this.sizeThen = sizeThen;
            this.sizeNow = sizeNow;
        }
    }

    private final Path path;
    private final BasicFileAttributes openedAs;

    ChangeWatch(InputStream in, Path path, BasicFileAttributes openedAs) {
        super(in);
        this.path = path;
        this.openedAs = openedAs;
    }

    @Override
    public int read() throws IOException {
        check();
        return super.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        check();
        return super.read(buffer, offset, length);
    }

    private void check() throws IOException {
        BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
        if (now.size() != openedAs.size() || !now.lastModifiedTime().equals(openedAs.lastModifiedTime())) {
            throw new ChangedException(openedAs.size(), now.size());
        }
    }
}
