package io.qualgranter.input;

import java.nio.file.Path;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * The grant step's reader: streams {@link GrantRow}s from the input file.
 *
 * <p>It counts items like every Spring Batch reader, but always reads from the top: a resumed
 * execution re-reads the file and the processor carries over the outcomes the previous execution
 * committed (see {@code io.qualgranter.report.PreviousOutcomes}), so duplicates and retries of
 * FAILED rows come out right without any state beyond the outcome journal.
 */
public class GrantRowReader extends AbstractItemCountingItemStreamItemReader<GrantRow> {

    private final Path path;
    private GrantFile file;

    public GrantRowReader(Path path) {
        this.path = path;
        setName("input");
        setSaveState(false);
    }

    @Override
    protected void doOpen() {
        file = GrantFile.open(path);
    }

    @Override
    protected GrantRow doRead() {
        return file.next();
    }

    @Override
    protected void doClose() {
        if (file != null) {
            file.close();
            file = null;
        }
    }
}
