package io.qualgranter.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.qualgranter.row.Outcome;
import io.qualgranter.row.RowOutcome;
import io.qualgranter.validation.InvalidLimit;
import io.qualgranter.validation.TooManyInvalidRowsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The last step: the report CSV (owner-only, 0600) is its header plus every row's outcome, in input
 * order, as the run's state in the job repository holds them ({@link RunOutcomes}): whichever
 * execution, on whichever host, committed them. Leaves the counts in the job's context for the
 * summary and for a later attempt. A dry run with more invalid rows than {@code --max-invalid} allows
 * fails here, after its report is written (a real run stops before its first call instead).
 */
public class ReportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

    private final RunOutcomes outcomes;
    private final Path report;
    private final InvalidLimit dryRunLimit;

    /** @param dryRunLimit --max-invalid of a dry run, checked on the counts; null for a real run */
    public ReportTasklet(RunOutcomes outcomes, Path report, InvalidLimit dryRunLimit) {
        this.outcomes = outcomes;
        this.report = report;
        this.dryRunLimit = dryRunLimit;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution jobExecution = chunkContext.getStepContext().getStepExecution().getJobExecution();
        OutcomeCounts counts = writeReport(jobExecution.getJobInstance().getInstanceId());
        counts.saveTo(jobExecution.getExecutionContext());
        long invalid = counts.get(Outcome.INVALID);
        if (dryRunLimit != null && dryRunLimit.exceededBy(invalid, counts.total())) {
            throw new TooManyInvalidRowsException(invalid + " of " + counts.total() + " rows are invalid, more than"
                    + " --max-invalid " + dryRunLimit + " allows (a real run would send nothing); see " + report);
        }
        return RepeatStatus.FINISHED;
    }

    /** Writes the report beside its final name, then moves it there; counts the outcomes on the way. */
    private OutcomeCounts writeReport(long jobInstanceId) {
        Path partial = report.resolveSibling(report.getFileName() + ".partial");
        OutcomeCounts counts = new OutcomeCounts();
        try {
            try (OutputStream out = new BufferedOutputStream(PrivateFiles.newOutputStream(partial), 1 << 16)) {
                out.write((String.join(",", OutcomeCsv.COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8));
                log.info("Writing the report {} from run {} in the job repository", partial, jobInstanceId);
                RunOutcomes.Lines lines = outcomes.lines(jobInstanceId);
                while (true) {
                    RunOutcomes.Block plain = lines.plainBlockOrNull();
                    if (plain != null) { // no row of it was called: its lines are the report's, as they are
                        out.write(plain.lines());
                        plain.counts().forEach(counts::add);
                        continue;
                    }
                    String line = lines.next();
                    if (line == null) {
                        break;
                    }
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                    RowOutcome called = lines.called();
                    if (called != null) {
                        counts.add(called.outcome());
                    }
                }
                lines.blockCountsOfSettledLines().forEach(counts::add);
            }
            Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + report + ": " + e.getMessage(), e);
        }
        return counts;
    }
}
