package io.qualgranter.report;

import io.qualgranter.row.RowOutcome;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * The durable record of every row's outcome: one CSV file per execution of the grant step, in
 * input line order, written by a {@link JournalWriter} whose committed length is checkpointed with
 * each chunk. A later execution of the same run reads the committed part of
 * the latest journal and carries those outcomes over (see {@link PreviousOutcomes}).
 */
public final class OutcomeJournal {

    private static final String PREFIX = "journal-";
    private static final String COMMITTED_SUFFIX = ".current.count";

    private OutcomeJournal() {
    }

    public static Path path(Path runDirectory, long stepExecutionId) {
        return runDirectory.resolve(PREFIX + stepExecutionId + ".csv");
    }

    /**
     * The journal writer of one step execution; the file name carries the id so restarts never mix files.
     * {@code forceSync}: each checkpoint's length is on disk before the checkpoint is (real runs; a dry
     * run that loses its tail to a power cut just plans those rows again).
     */
    public static ItemStreamWriter<RowOutcome> writer(Path runDirectory, long stepExecutionId, boolean forceSync) {
        return new JournalWriter(path(runDirectory, stepExecutionId), PREFIX + stepExecutionId + COMMITTED_SUFFIX, forceSync);
    }

    /**
     * The newest journal with committed rows among those recorded in this step execution context
     * (a restarted step execution starts with a copy of the previous one's context), or null.
     */
    public static PreviousOutcomes.Source latestCommitted(ExecutionContext context, Path runDirectory,
                                                          long currentStepExecutionId) {
        long bestId = -1;
        long bestBytes = 0;
        for (Map.Entry<String, Object> entry : context.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(PREFIX) && key.endsWith(COMMITTED_SUFFIX)) {
                long id = Long.parseLong(key.substring(PREFIX.length(), key.length() - COMMITTED_SUFFIX.length()));
                long bytes = ((Number) entry.getValue()).longValue();
                if (bytes > 0 && id > bestId && id != currentStepExecutionId) {
                    bestId = id;
                    bestBytes = bytes;
                }
            }
        }
        return bestId < 0 ? null : new PreviousOutcomes.Source(path(runDirectory, bestId), bestBytes);
    }

    /** What the given execution committed to its own journal. */
    public static PreviousOutcomes.Source committedBy(ExecutionContext context, Path runDirectory, long stepExecutionId) {
        long bytes = context.getLong(PREFIX + stepExecutionId + COMMITTED_SUFFIX, 0L);
        return new PreviousOutcomes.Source(path(runDirectory, stepExecutionId), bytes);
    }
}
