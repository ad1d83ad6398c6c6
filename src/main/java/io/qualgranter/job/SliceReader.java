package io.qualgranter.job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.qualgranter.input.GrantRowReader;
import io.qualgranter.validation.GrantRowProcessor;
import io.qualgranter.row.PlannedRow;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Cuts the planned rows into slices, one slice per chunk (one transaction, one checkpoint): a slice
 * ends after {@code callsPerSlice} rows that need a call, or after {@code rowsPerSlice} rows in all.
 * So a chunk still holds at most {@code granter.chunk-size} calls, while rows that need none (invalid,
 * duplicate, carried over, already granted, dry run) pass in large slices instead of costing a commit
 * every 100 rows.
 *
 * <p>Rows are planned ahead in blocks, and each block is handed whole to {@code settle} (the ledger:
 * rows an earlier run granted become ALREADY_GRANTED, rows in doubt are checked) before it is cut
 * into slices. A block ends after {@code rowsPerSlice} rows, or after as many rows that still need a
 * call as the reader expects to send: one slice's worth at first, so that the file is read no
 * further ahead of the calls than before; doubled each time the ledger settled most of them (a rerun
 * over a file of which most rows were granted before: one lookup and one chunk per 10,000 rows).
 */
public class SliceReader implements ItemStreamReader<List<PlannedRow>> {

    private final GrantRowReader rows;
    private final GrantRowProcessor planner;
    private final int callsPerSlice;
    private final int rowsPerSlice;
    private final UnaryOperator<List<PlannedRow>> settle;
    private final AutoCloseable settleResources;
    private final ArrayDeque<PlannedRow> ahead = new ArrayDeque<>();
    private boolean endOfInput;
    private int callsAhead;

    public SliceReader(GrantRowReader rows, GrantRowProcessor planner, int callsPerSlice, int rowsPerSlice) {
        this(rows, planner, callsPerSlice, rowsPerSlice, UnaryOperator.identity(), null);
    }

    /**
     * @param settle          settles what it can of a block of planned rows (the ledger), in order
     * @param settleResources closed with the reader (the client {@code settle} calls), or null
     */
    public SliceReader(GrantRowReader rows, GrantRowProcessor planner, int callsPerSlice, int rowsPerSlice,
                       UnaryOperator<List<PlannedRow>> settle, AutoCloseable settleResources) {
        this.rows = rows;
        this.planner = planner;
        this.callsPerSlice = Math.max(callsPerSlice, 1);
        this.rowsPerSlice = Math.max(rowsPerSlice, this.callsPerSlice);
        this.settle = settle;
        this.settleResources = settleResources;
    }

    @Override
    public List<PlannedRow> read() throws Exception {
        List<PlannedRow> slice = new ArrayList<>();
        int calls = 0;
        while (calls < callsPerSlice && slice.size() < rowsPerSlice && (!ahead.isEmpty() || planAhead())) {
            PlannedRow planned = ahead.poll();
            slice.add(planned);
            if (planned.needsCall()) {
                calls++;
            }
        }
        return slice.isEmpty() ? null : slice;
    }

    /** Plans the next block of rows and has it settled in one go; false at the end of the input. */
    private boolean planAhead() throws Exception {
        List<PlannedRow> block = new ArrayList<>();
        int calls = 0;
        while (!endOfInput && block.size() < rowsPerSlice && calls < callsAhead) {
            var row = rows.read();
            if (row == null) {
                endOfInput = true;
            } else {
                PlannedRow planned = planner.process(row);
                block.add(planned);
                calls += planned.needsCall() ? 1 : 0;
            }
        }
        if (!block.isEmpty()) {
            List<PlannedRow> settled = settle.apply(block);
            long stillCalls = settled.stream().filter(PlannedRow::needsCall).count();
            callsAhead = calls > 0 && stillCalls * 2 <= calls ? Math.min(callsAhead * 2, rowsPerSlice) : callsPerSlice;
            ahead.addAll(settled);
        }
        return !ahead.isEmpty();
    }

    @Override
    public void open(ExecutionContext context) {
        ahead.clear();
        endOfInput = false;
        callsAhead = callsPerSlice;
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
            if (settleResources != null) {
                settleResources.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + e.getMessage(), e);
        } finally {
            rows.close();
        }
    }
}
