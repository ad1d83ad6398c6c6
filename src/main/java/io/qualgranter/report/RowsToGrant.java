package io.qualgranter.report;

import java.util.ArrayDeque;

import io.qualgranter.row.PlannedRow;

import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * The grant step's reader: the run's rows that still need a call (no outcome yet, or FAILED), in input
 * order, a page at a time from the job repository. It keeps no position: a resumed execution reads
 * again from the first row without a final outcome, on any host. No network call.
 */
public class RowsToGrant implements ItemReader<PlannedRow> {

    private final RunOutcomes outcomes;
    private final long jobInstanceId;
    private final int page;
    private final ArrayDeque<RunOutcomes.Queued> ahead = new ArrayDeque<>();
    private long lastItem = -1;
    private boolean exhausted;

    public RowsToGrant(RunOutcomes outcomes, long jobInstanceId, int page) {
        this.outcomes = outcomes;
        this.jobInstanceId = jobInstanceId;
        this.page = Math.max(page, 1);
    }

    @Override
    public PlannedRow read() {
        if (ahead.isEmpty() && !exhausted) {
            var rows = outcomes.toGrant(jobInstanceId, lastItem, page);
            exhausted = rows.size() < page;
            ahead.addAll(rows);
        }
        RunOutcomes.Queued next = ahead.poll();
        if (next == null) {
            return null;
        }
        lastItem = next.item();
        return next.row();
    }
}
