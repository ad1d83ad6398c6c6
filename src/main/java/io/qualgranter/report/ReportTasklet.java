package io.qualgranter.report;

import io.qualgranter.row.Outcome;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.qualgranter.validation.InvalidLimit;
import io.qualgranter.validation.TooManyInvalidRowsException;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The last step: the report CSV (owner-only, 0600) is its header plus the committed part of the final outcome journal
 * (whose lines are already report-ready, see {@link OutcomeCsv}), copied as bytes; the counts come
 * from the grant step's checkpoint. Leaves the counts and the final journal in the job's context for
 * the summary and for a later attempt. A dry run with more invalid rows than {@code --max-invalid}
 * allows fails here, after its report is written (a real run stops before its first call instead).
 */
public class ReportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

    public static final String FINAL_JOURNAL = "journal.final.path";
    public static final String FINAL_JOURNAL_BYTES = "journal.final.bytes";

    private final JobRepository jobRepository;
    private final String grantStepName;
    private final Path runDirectory;
    private final Path report;
    private final InvalidLimit dryRunLimit;

    /** @param dryRunLimit --max-invalid of a dry run, checked on the counts; null for a real run */
    public ReportTasklet(JobRepository jobRepository, String grantStepName, Path runDirectory, Path report,
                         InvalidLimit dryRunLimit) {
        this.jobRepository = jobRepository;
        this.grantStepName = grantStepName;
        this.runDirectory = runDirectory;
        this.report = report;
        this.dryRunLimit = dryRunLimit;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution jobExecution = chunkContext.getStepContext().getStepExecution().getJobExecution();
        StepExecution grant = jobRepository.getLastStepExecution(jobExecution.getJobInstance(), grantStepName);
        PreviousOutcomes.Source journal = OutcomeJournal.committedBy(grant.getExecutionContext(), runDirectory, grant.getId());
        OutcomeCounts counts = OutcomeCounts.from(grant.getExecutionContext());

        writeReport(journal);

        ExecutionContext jobContext = jobExecution.getExecutionContext();
        counts.saveTo(jobContext);
        jobContext.putString(FINAL_JOURNAL, journal.journal().toString());
        jobContext.putLong(FINAL_JOURNAL_BYTES, journal.committedBytes());
        long invalid = counts.get(Outcome.INVALID);
        if (dryRunLimit != null && dryRunLimit.exceededBy(invalid, counts.total())) {
            throw new TooManyInvalidRowsException(invalid + " of " + counts.total() + " rows are invalid, more than"
                    + " --max-invalid " + dryRunLimit + " allows (a real run would send nothing); see " + report);
        }
        return RepeatStatus.FINISHED;
    }

    private void writeReport(PreviousOutcomes.Source journal) {
        Path partial = report.resolveSibling(report.getFileName() + ".partial");
        try {
            try (OutputStream out = new BufferedOutputStream(PrivateFiles.newOutputStream(partial), 1 << 16)) {
                out.write((String.join(",", OutcomeCsv.COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8));
                log.info("Writing the report {} from the outcome journal {}", partial, journal.journal());
                if (journal.committedBytes() > 0) {
                    try (InputStream in = BoundedInputStream.builder().setPath(journal.journal())
                            .setMaxCount(journal.committedBytes()).get()) {
                        in.transferTo(out);
                    }
                }
            }
            Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + report + ": " + e.getMessage(), e);
        }
    }
}
