package io.qualgranter.grant;

import io.qualgranter.row.GrantRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.qualgranter.ledger.RerunGuard;
import io.qualgranter.report.OutcomeCounts;
import io.qualgranter.row.RowOutcome;
import io.qualgranter.row.PlannedRow;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * The grant step's writer: its rows come settled by what the ledger knows (rows granted by an earlier
 * run, rows in doubt after a crash: the {@link RerunGuard} in {@code job.SliceReader}); it marks the
 * rest pending with the guard, sends them, then records the grants in the ledger and writes one
 * outcome per row to the outcome journal, both committing with the chunk's checkpoint.
 *
 * <p>In a dry run there is no sender and nothing is sent. When the sender finds the service down
 * (too many calls in a row FAILED), the chunk still commits with those rows FAILED, and the next
 * write stops the run with {@link ServiceUnavailableException}: resuming tries every FAILED row again.
 *
 * <p>It also counts the outcomes this execution wrote, into the step's context with each checkpoint,
 * so the counts always match the committed journal and the report needs no second pass to count.
 */
public class GrantWriter implements ItemStreamWriter<PlannedRow> {

    private final ItemStreamWriter<RowOutcome> journal;
    private final GrantSender sender;
    private final WrongEnvironmentBreaker breaker;
    private final RerunGuard guard;
    private OutcomeCounts counts = new OutcomeCounts();

    public GrantWriter(ItemStreamWriter<RowOutcome> journal, GrantSender sender) {
        this(journal, sender, null, null);
    }

    /** @param breaker watches the first answers for a wrong environment (sandbox vs production), or null */
    public GrantWriter(ItemStreamWriter<RowOutcome> journal, GrantSender sender, WrongEnvironmentBreaker breaker) {
        this(journal, sender, breaker, null);
    }

    /**
     * @param breaker watches the first answers for a wrong environment (sandbox vs production), or null
     * @param guard   the ledger's part (already granted, in doubt, recorded), or null
     */
    public GrantWriter(ItemStreamWriter<RowOutcome> journal, GrantSender sender, WrongEnvironmentBreaker breaker,
                       RerunGuard guard) {
        this.journal = journal;
        this.sender = sender;
        this.breaker = breaker;
        this.guard = guard;
    }

    @Override
    public void write(Chunk<? extends PlannedRow> chunk) throws Exception {
        if (sender != null && sender.serviceDown()) {
            throw new ServiceUnavailableException("the last " + sender.failuresInARow()
                    + " calls failed after their retries; the service looks unavailable");
        }
        List<PlannedRow> rows = new ArrayList<>(chunk.getItems()); // the ledger settled them already (SliceReader)
        List<GrantRequest> requests = new ArrayList<>();
        for (PlannedRow row : rows) {
            if (row.needsCall()) {
                requests.add(row.request());
            }
        }
        if (guard != null && sender != null) {
            guard.beforeCalls(requests);
        }
        Iterator<CallResult> results = requests.isEmpty() ? null : sendWatched(requests).iterator();
        List<RowOutcome> outcomes = new ArrayList<>(rows.size());
        for (PlannedRow row : rows) {
            if (!row.needsCall()) {
                outcomes.add(row.settled());
                continue;
            }
            CallResult result = results.next();
            outcomes.add(row.settle(result.outcome(), joinDetails(row.detail(), result.detail())));
        }
        if (guard != null && sender != null) {
            guard.afterCalls(rows, outcomes);
        }
        journal.write(new Chunk<>(outcomes));
        for (RowOutcome outcome : outcomes) {
            counts.add(outcome.outcome());
        }
    }

    /**
     * Sends the requests; while the breaker is still deciding, in parts no bigger than what it needs to
     * see, so that a run of unknown workers stops after exactly that many calls.
     */
    private List<CallResult> sendWatched(List<GrantRequest> requests) {
        if (breaker == null) {
            return sender.send(requests);
        }
        List<CallResult> results = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); ) {
            int to = (int) Math.min(requests.size(), (long) from + breaker.stillWatching());
            List<CallResult> part = sender.send(requests.subList(from, to));
            part.forEach(breaker::observe);
            results.addAll(part);
            from = to;
        }
        return results;
    }

    private static String joinDetails(String note, String detail) {
        if (note == null || note.isEmpty()) {
            return detail;
        }
        return detail == null || detail.isEmpty() ? note : detail + "; " + note;
    }

    @Override
    public void open(ExecutionContext context) {
        journal.open(context);
        counts = new OutcomeCounts(); // every execution journals every row anew
        counts.saveTo(context);
    }

    @Override
    public void update(ExecutionContext context) {
        journal.update(context);
        counts.saveTo(context);
    }

    @Override
    public void close() {
        journal.close();
        if (sender != null) {
            sender.close();
        }
    }
}
