package io.qualgranter.validation;

import io.qualgranter.row.PlannedRow;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.GrantRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.qualgranter.row.Outcome;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import io.qualgranter.row.OutcomeCursor;
import io.qualgranter.row.RowOutcome;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * The plan step's processor. Decides what happens to each row, in file order: INVALID when it breaks
 * the service model's rules, DUPLICATE when an earlier valid row had the same (worker, type), the
 * outcome the completed attempt this run tries again gave it (all but FAILED, which is tried again),
 * WOULD_GRANT in a dry run, and otherwise a request for the grant step to send.
 *
 * <p>A resumed plan step reads the file from the top: the rows an earlier execution of the run
 * already planned (the first {@code alreadyPlanned}) only rebuild the duplicate filter and are
 * filtered out, so each row is planned once per run.
 */
public class GrantRowProcessor implements ItemProcessor<GrantRow, PlannedRow>, ItemStream {

    private final RowValidator validator;
    private final boolean dryRun;
    private final Supplier<OutcomeCursor> earlierAttempt;
    private final LongSupplier alreadyPlanned;
    private final Path scratch;
    private DuplicateFilter duplicates;
    private PreviousOutcomes previous = PreviousOutcomes.none();
    private long skip;
    private long item;

    /**
     * @param earlierAttempt the outcomes of the completed attempt this run tries again (empty: none)
     * @param alreadyPlanned how many rows earlier executions of this run planned (read at open)
     * @param scratch        the duplicate filter's scratch file
     */
    public GrantRowProcessor(RowValidator validator, boolean dryRun, Supplier<OutcomeCursor> earlierAttempt,
                             LongSupplier alreadyPlanned, Path scratch) {
        this.validator = validator;
        this.dryRun = dryRun;
        this.earlierAttempt = earlierAttempt;
        this.alreadyPlanned = alreadyPlanned;
        this.scratch = scratch;
    }

    /** A processor with nothing carried over and nothing planned before (tests, benchmarks). */
    public GrantRowProcessor(RowValidator validator, boolean dryRun, Path scratch) {
        this(validator, dryRun, () -> OutcomeCursor.EMPTY, () -> 0L, scratch);
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            Files.createDirectories(scratch.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + scratch.getParent(), e);
        }
        duplicates = new DuplicateFilter(scratch);
        previous = new PreviousOutcomes(earlierAttempt.get());
        skip = alreadyPlanned.getAsLong();
        item = 0;
    }

    @Override
    public void close() {
        previous.close();
        if (duplicates != null) {
            duplicates.close();
            duplicates = null;
        }
    }

    /** The planned row, or null for a row an earlier execution of this run planned already. */
    @Override
    public PlannedRow process(GrantRow row) {
        boolean planned = item++ < skip;
        Validated validated = validator.validate(row);
        if (!validated.isValid()) {
            return planned ? null : PlannedRow.settled(row, null, Outcome.INVALID, validated.invalidReason());
        }
        GrantRequest request = validated.request();
        Integer firstValue = duplicates.firstValueOrRecord(request);
        if (planned) {
            return null;
        }
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
