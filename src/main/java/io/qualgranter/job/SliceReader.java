package io.qualgranter.job;

import java.util.ArrayList;
import java.util.List;

import io.qualgranter.input.GrantRowReader;
import io.qualgranter.validation.GrantRowProcessor;
import io.qualgranter.validation.PlannedRow;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Cuts the planned rows into slices, one slice per chunk (one transaction, one checkpoint): a slice
 * ends after {@code callsPerSlice} rows that need a call, or after {@code rowsPerSlice} rows in all.
 * So a chunk still holds at most {@code granter.chunk-size} calls, while rows that need none (invalid,
 * duplicate, carried over, dry run) pass in large slices instead of costing a commit every 100 rows.
 */
public class SliceReader implements ItemStreamReader<List<PlannedRow>> {

    private final GrantRowReader rows;
    private final GrantRowProcessor planner;
    private final int callsPerSlice;
    private final int rowsPerSlice;

    public SliceReader(GrantRowReader rows, GrantRowProcessor planner, int callsPerSlice, int rowsPerSlice) {
        this.rows = rows;
        this.planner = planner;
        this.callsPerSlice = Math.max(callsPerSlice, 1);
        this.rowsPerSlice = Math.max(rowsPerSlice, this.callsPerSlice);
    }

    @Override
    public List<PlannedRow> read() throws Exception {
        List<PlannedRow> slice = new ArrayList<>();
        int calls = 0;
        while (calls < callsPerSlice && slice.size() < rowsPerSlice) {
            var row = rows.read();
            if (row == null) {
                break;
            }
            PlannedRow planned = planner.process(row);
            slice.add(planned);
            if (planned.needsCall()) {
                calls++;
            }
        }
        return slice.isEmpty() ? null : slice;
    }

    @Override
    public void open(ExecutionContext context) {
        rows.open(context);
        planner.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        rows.update(context);
        planner.update(context);
    }

    @Override
    public void close() {
        try {
            planner.close();
        } finally {
            rows.close();
        }
    }
}
