package io.qualgranter.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.qualgranter.input.GrantInput;
import io.qualgranter.row.GrantRow;
import io.qualgranter.input.InputFileException;
import io.qualgranter.input.RowSource;
import io.qualgranter.input.TypeReferences;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The first step: reads the whole file once, validates every row, and stops the run before any
 * call when the file cannot be parsed to its end or has more invalid rows than {@code --max-invalid}
 * allows. Leaves the number of data rows in the job's context ({@code rows.total}) for progress, and
 * the qualification types the valid rows ask for in its own context ({@link TypeReferences}) for the preflight.
 *
 * <p>A dry run skips this pass (it sends nothing, so there is nothing to stop before, and its
 * preflight checks no type id): its report step checks {@code --max-invalid} on the final counts.
 * Only a website worker file is still read through, for the qualification names its rows use.
 */
public class ValidateInputTasklet implements Tasklet {

    public static final String ROWS_TOTAL = "rows.total";
    private static final int REASONS_SHOWN = 5;

    private final GrantInput input;
    private final String inputSha256;
    private final RowValidator validator;
    private final InvalidLimit limit;
    private final boolean dryRun;

    /** @param inputSha256 the run's SHA-256 of the input: a file that no longer has it is refused */
    public ValidateInputTasklet(GrantInput input, String inputSha256, RowValidator validator, InvalidLimit limit,
                                boolean dryRun) {
        this.input = input;
        this.inputSha256 = inputSha256;
        this.validator = validator;
        this.limit = limit;
        this.dryRun = dryRun;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long total = 0;
        long invalid = 0;
        List<String> reasons = new ArrayList<>();
        Set<String> typeIds = new TreeSet<>();
        try (RowSource file = input.open(inputSha256)) {
            if (dryRun && !file.typesByName()) {
                new TypeReferences(Set.of(), Set.of())
                        .saveTo(chunkContext.getStepContext().getStepExecution().getExecutionContext());
                return RepeatStatus.FINISHED;
            }
            for (GrantRow row = file.next(); row != null; row = file.next()) {
                total++;
                Validated validated = validator.validate(row);
                if (!validated.isValid()) {
                    invalid++;
                    if (reasons.size() < REASONS_SHOWN) {
                        reasons.add("line " + row.line() + ": " + validated.invalidReason());
                    }
                } else if (!file.typesByName() && typeIds.add(validated.request().qualificationTypeId())
                        && typeIds.size() > TypeReferences.MOST_DISTINCT_TYPES) {
                    throw new InputFileException(input.name() + ": more than " + TypeReferences.MOST_DISTINCT_TYPES
                            + " distinct qualification type ids: is the type column really QualificationTypeId?");
                }
            }
            // for the preflight: the types the run will grant
            new TypeReferences(typeIds, file.qualificationNames())
                    .saveTo(chunkContext.getStepContext().getStepExecution().getExecutionContext());
        }
        contribution.incrementReadCount(); // one pass over the file
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext().putLong(ROWS_TOTAL, total);
        if (!dryRun && limit.exceededBy(invalid, total)) {
            throw new TooManyInvalidRowsException(input.name() + ": " + invalid + " of " + total
                    + " rows are invalid, more than --max-invalid " + limit + " allows; nothing was sent. First: "
                    + String.join("; ", reasons));
        }
        return RepeatStatus.FINISHED;
    }
}
