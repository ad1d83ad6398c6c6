package io.qualgranter.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.qualgranter.row.PlannedRow;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * The plan step's writer: has the chunk's rows settled by what the ledger knows ({@code settle}: rows an
 * earlier run granted become ALREADY_GRANTED; no network call), then writes them to the run's state
 * ({@link RunOutcomes#writeBlock}) in the chunk's transaction: settled rows with their outcome, the rest
 * as rows for the grant step to call.
 */
public class PlanWriter implements ItemStreamWriter<PlannedRow> {

    private final RunOutcomes outcomes;
    private final long jobInstanceId;
    private final long jobExecutionId;
    private final UnaryOperator<List<PlannedRow>> settle;
    private final Consumer<PlannedRow> settled;
    private final AutoCloseable resources;
    private long nextItem;

    /**
     * @param settled   told of each row settled here (progress), once its chunk is written
     * @param resources closed with the writer (what {@code settle} holds), or null
     */
    public PlanWriter(RunOutcomes outcomes, long jobInstanceId, long jobExecutionId,
                      UnaryOperator<List<PlannedRow>> settle, Consumer<PlannedRow> settled, AutoCloseable resources) {
        this.outcomes = outcomes;
        this.jobInstanceId = jobInstanceId;
        this.jobExecutionId = jobExecutionId;
        this.settle = settle;
        this.settled = settled;
        this.resources = resources;
    }

    @Override
    public void close() {
        try {
            if (resources != null) {
                resources.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + e.getMessage(), e);
        }
    }

    @Override
    public void open(ExecutionContext context) {
        nextItem = outcomes.plannedItems(jobInstanceId);
    }

    @Override
    public void write(Chunk<? extends PlannedRow> chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        List<PlannedRow> rows = settle.apply(new ArrayList<>(chunk.getItems()));
        outcomes.writeBlock(jobInstanceId, jobExecutionId, nextItem, rows);
        nextItem += rows.size();
        for (PlannedRow row : rows) {
            if (!row.needsCall()) {
                settled.accept(row);
            }
        }
    }
}
