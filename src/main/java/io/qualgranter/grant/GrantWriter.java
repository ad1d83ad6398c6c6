package io.qualgranter.grant;

import io.qualgranter.row.GrantRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.List;
import java.util.function.Consumer;

import io.qualgranter.row.RowOutcome;
import io.qualgranter.row.PlannedRow;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * The grant step's writer. Its rows are the run's rows that need a call (the plan step settled the
 * rest). For each chunk it has the guard settle what the ledger knows now (a pair granted meanwhile; a
 * row in doubt after a crash, checked with GetQualificationScore through the rate-limited gateway),
 * claims the rest, sends those it holds (another run may hold some: the guard settles them once that
 * run is done), then hands every row's outcome to {@code recorded} and the guard, both in the chunk's
 * transaction, so they commit with the chunk's checkpoint.
 *
 * <p>When the sender finds the service down (too many calls in a row FAILED), the chunk still commits
 * with those rows FAILED, and the next write stops the run with {@link ServiceUnavailableException}:
 * resuming tries every FAILED row again.
 */
public class GrantWriter implements ItemWriter<PlannedRow> {

    private final GrantSender sender;
    private final WrongEnvironmentBreaker breaker;
    private final CallGuard guard;
    private final Consumer<List<RowOutcome>> recorded;
    private final Runnable beforeCalls;

    /**
     * @param breaker     watches the first answers for a wrong environment (sandbox vs production), or null
     * @param guard       the ledger's part (already granted, in doubt, recorded)
     * @param recorded    records the chunk's outcomes (the run's state, progress), in the chunk's transaction
     * @param beforeCalls runs before each chunk's calls (the run proves it still holds its lease), or null
     */
    public GrantWriter(GrantSender sender, WrongEnvironmentBreaker breaker, CallGuard guard,
                       Consumer<List<RowOutcome>> recorded, Runnable beforeCalls) {
        this.sender = sender;
        this.breaker = breaker;
        this.guard = guard;
        this.recorded = recorded;
        this.beforeCalls = beforeCalls;
    }

    @Override
    public void write(Chunk<? extends PlannedRow> chunk) throws Exception {
        if (sender.serviceDown()) {
            throw new ServiceUnavailableException("the last " + sender.failuresInARow()
                    + " calls failed after their retries: the service is busy or unavailable; run the same command again"
                    + " to resume");
        }
        if (beforeCalls != null) {
            beforeCalls.run();
        }
        List<PlannedRow> rows = guard.settle(chunk.getItems());
        List<GrantRequest> requests = new ArrayList<>();
        for (PlannedRow row : rows) {
            if (row.needsCall()) {
                requests.add(row.request());
            }
        }
        List<GrantRequest> claimed = guard.beforeCalls(requests);
        Set<GrantRequest> mine = claimed.size() == requests.size() ? null : new HashSet<>(claimed);
        Iterator<CallResult> results = claimed.isEmpty() ? null : sender.send(claimed, breaker).iterator();
        List<PlannedRow> notMine = new ArrayList<>();
        for (PlannedRow row : rows) {
            if (row.needsCall() && mine != null && !mine.contains(row.request())) {
                notMine.add(row);
            }
        }
        // after this run's own calls, so that they are not held up by another run's
        Iterator<RowOutcome> elsewhere = notMine.isEmpty() ? null : guard.heldElsewhere(notMine).iterator();
        List<RowOutcome> outcomes = new ArrayList<>(rows.size());
        for (PlannedRow row : rows) {
            if (!row.needsCall()) {
                outcomes.add(row.settled());
            } else if (mine != null && !mine.contains(row.request())) {
                outcomes.add(elsewhere.next());
            } else {
                CallResult result = results.next();
                outcomes.add(row.settle(result.outcome(), joinDetails(row.detail(), result.detail())));
            }
        }
        guard.afterCalls(rows, outcomes);
        recorded.accept(outcomes);
    }

    private static String joinDetails(String note, String detail) {
        if (note == null || note.isEmpty()) {
            return detail;
        }
        return detail == null || detail.isEmpty() ? note : detail + "; " + note;
    }
}
