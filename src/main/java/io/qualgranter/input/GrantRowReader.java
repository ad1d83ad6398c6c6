package io.qualgranter.input;

import java.util.function.Supplier;

import io.qualgranter.row.GrantRow;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * The plan step's reader: streams {@link GrantRow}s from the input, whatever its format ({@link GrantInput}).
 *
 * <p>It counts items like every Spring Batch reader, but always reads from the top: a resumed
 * execution re-reads the file, and the processor passes over the rows earlier executions of the run
 * planned (their outcomes are in the job repository) after feeding them to the duplicate filter, so
 * duplicates come out right with no state of the reader's own.
 *
 * <p>The file must still be the run's: its SHA-256 is checked when the step opens it (before any
 * row is handed out: {@link InputChangedException}, nothing sent), its size and modification time
 * before each block read (see {@code ChangeWatch}), and the SHA-256 of the bytes read at the end
 * ({@link InputChangedWhileGrantingException}: the chunk being read is not sent, the rows sent before
 * are recorded, the step fails).
 */
public class GrantRowReader extends AbstractItemCountingItemStreamItemReader<GrantRow> {

    /** The file changed while the grant step read it: rows sent so far are recorded; the step fails. */
    public static class InputChangedWhileGrantingException extends RuntimeException {
        InputChangedWhileGrantingException(String message) {
            super(message);
        }
    }

    private final Supplier<GrantInput> input;
    private final String expectedSha256;
    private RowSource file;

    /** @param expectedSha256 the run's SHA-256 of the file, or null not to check */
    public GrantRowReader(GrantInput input, String expectedSha256) {
        this(() -> input, expectedSha256);
    }

    /** @param input the input as it stands when the step opens (the preflight resolves the website file's names) */
    public GrantRowReader(Supplier<GrantInput> input, String expectedSha256) {
        this.input = input;
        this.expectedSha256 = expectedSha256;
        setName("input");
        setSaveState(false);
    }

    @Override
    protected void doOpen() {
        GrantInput in = input.get();
        if (expectedSha256 != null) {
            String now = GrantFile.sha256(in.path());
            if (!now.equalsIgnoreCase(expectedSha256)) {
                throw InputChangedException.hashDiffers(in.name(), expectedSha256, now, "nothing was sent");
            }
        }
        file = in.open(expectedSha256, "the rows planned before it are recorded, the rest were not");
    }

    @Override
    protected GrantRow doRead() {
        try {
            return file.next();
        } catch (InputChangedException e) {
            throw new InputChangedWhileGrantingException(e.getMessage());
        }
    }

    @Override
    protected void doClose() {
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
