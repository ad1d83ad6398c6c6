package io.qualgranter.job;

import java.util.List;

import io.qualgranter.grant.GrantWriter;
import io.qualgranter.row.PlannedRow;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/** Hands the rows of a chunk's slices to the {@link GrantWriter} as one chunk of rows. */
public class SliceWriter implements ItemStreamWriter<List<PlannedRow>> {

    private final GrantWriter rows;

    public SliceWriter(GrantWriter rows) {
        this.rows = rows;
    }

    @Override
    public void write(Chunk<? extends List<PlannedRow>> slices) throws Exception {
        Chunk<PlannedRow> all = new Chunk<>();
        for (List<PlannedRow> slice : slices) {
            all.addAll(slice);
        }
        rows.write(all);
    }

    @Override
    public void open(ExecutionContext context) {
        rows.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        rows.update(context);
    }

    @Override
    public void close() {
        rows.close();
    }
}
