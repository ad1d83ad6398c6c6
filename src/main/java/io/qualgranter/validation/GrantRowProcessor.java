package io.qualgranter.validation;

import io.qualgranter.row.PlannedRow;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.GrantRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.qualgranter.row.Outcome;
import io.qualgranter.report.OutcomeJournal;
import io.qualgranter.report.PreviousOutcomes;
import io.qualgranter.row.RowOutcome;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * Decides what happens to each row, in file order: INVALID when it breaks the service model's
 * rules, DUPLICATE when an earlier valid row had the same (worker, type), the outcome an earlier
 * execution already committed for it (all but FAILED, which is tried again), WOULD_GRANT in a dry
 * run, and otherwise a request for the writer to send.
 */
public class GrantRowProcessor implements ItemProcessor<GrantRow, PlannedRow>, ItemStream {

    private final RowValidator validator;
    private final boolean dryRun;
    private final PreviousOutcomes.Source carriedFromEarlierRun;
    private final Path runDirectory;
    private final long stepExecutionId;
    private DuplicateFilter duplicates;
    private PreviousOutcomes previous = PreviousOutcomes.none();

    /**
     * @param carriedFromEarlierRun the final journal of the completed attempt this run tries again, or null
     * @param runDirectory          where this run's journals are
     * @param stepExecutionId       this execution of the grant step
     */
    public GrantRowProcessor(RowValidator validator, boolean dryRun, PreviousOutcomes.Source carriedFromEarlierRun,
                             Path runDirectory, long stepExecutionId) {
        this.validator = validator;
        this.dryRun = dryRun;
        this.carriedFromEarlierRun = carriedFromEarlierRun;
        this.runDirectory = runDirectory;
        this.stepExecutionId = stepExecutionId;
    }

    /** Starts from the outcomes an earlier execution of this run committed, or else those of the earlier attempt. */
    @Override
    public void open(ExecutionContext context) {
        try {
            Files.createDirectories(runDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + runDirectory, e);
        }
        duplicates = new DuplicateFilter(runDirectory.resolve("dedup-" + stepExecutionId + ".keys"));
        PreviousOutcomes.Source source = OutcomeJournal.latestCommitted(context, runDirectory, stepExecutionId);
        previous = PreviousOutcomes.open(source != null ? source : carriedFromEarlierRun);
    }

    @Override
    public void close() {
        previous.close();
        if (duplicates != null) {
            duplicates.close();
            duplicates = null;
        }
    }

    @Override
    public PlannedRow process(GrantRow row) {
        Validated validated = validator.validate(row);
        if (!validated.isValid()) {
            return PlannedRow.settled(row, null, Outcome.INVALID, validated.invalidReason());
        }
        GrantRequest request = validated.request();
        Integer firstValue = duplicates.firstValueOrRecord(request);
        if (firstValue != null) {
            String detail = firstValue == request.integerValue() ? ""
                    : "conflicting value " + request.integerValue() + " (the first row for this pair has " + firstValue + ")";
            return PlannedRow.settled(row, request, Outcome.DUPLICATE, detail);
        }
        RowOutcome earlier = previous.at(row.line(), request.qualificationTypeId());
        if (earlier != null && earlier.outcome() != Outcome.FAILED) {
            return PlannedRow.settled(row, request, earlier.outcome(), earlier.detail());
        }
        if (dryRun) {
            return PlannedRow.settled(row, request, Outcome.WOULD_GRANT, validated.note());
        }
        return PlannedRow.toSend(row, request, validated.note());
    }
}
