package io.qualgranter.validation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.qualgranter.input.GrantFile;
import io.qualgranter.input.GrantRow;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The first step: reads the whole file once, validates every row, and stops the run before any
 * call when the file cannot be parsed to its end or has more invalid rows than {@code --max-invalid}
 * allows. Leaves the number of data rows in the job's context ({@code rows.total}) for progress.
 */
public class ValidateInputTasklet implements Tasklet {

    public static final String ROWS_TOTAL = "rows.total";
    private static final int REASONS_SHOWN = 5;

    private final Path input;
    private final RowValidator validator;
    private final InvalidLimit limit;

    public ValidateInputTasklet(Path input, RowValidator validator, InvalidLimit limit) {
        this.input = input;
        this.validator = validator;
        this.limit = limit;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long total = 0;
        long invalid = 0;
        List<String> reasons = new ArrayList<>();
        try (GrantFile file = GrantFile.open(input)) {
            for (GrantRow row = file.next(); row != null; row = file.next()) {
                total++;
                Validated validated = validator.validate(row);
                if (!validated.isValid()) {
                    invalid++;
                    if (reasons.size() < REASONS_SHOWN) {
                        reasons.add("line " + row.line() + ": " + validated.invalidReason());
                    }
                }
            }
        }
        contribution.incrementReadCount(); // one pass over the file
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext().putLong(ROWS_TOTAL, total);
        if (limit.exceededBy(invalid, total)) {
            throw new TooManyInvalidRowsException(input.getFileName() + ": " + invalid + " of " + total
                    + " rows are invalid, more than --max-invalid " + limit + " allows; nothing was sent. First: "
                    + String.join("; ", reasons));
        }
        return RepeatStatus.FINISHED;
    }
}
