package io.qualgranter.input;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;

/**
 * The grant step's reader: streams {@link GrantRow}s from the input, whatever its format ({@link GrantInput}).
 *
 * <p>It counts items like every Spring Batch reader, but always reads from the top: a resumed
 * execution re-reads the file and the processor carries over the outcomes the previous execution
 * committed (see {@code io.qualgranter.report.PreviousOutcomes}), so duplicates and retries of
 * FAILED rows come out right without any state beyond the outcome journal.
 */
public class GrantRowReader extends AbstractItemCountingItemStreamItemReader<GrantRow> {

    private final GrantInput input;
    private RowSource file;

    public GrantRowReader(GrantInput input) {
        this.input = input;
        setName("input");
        setSaveState(false);
    }

    @Override
    protected void doOpen() {
        file = input.open();
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
