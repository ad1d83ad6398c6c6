package io.qualgranter.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.commons.csv.CSVPrinter;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The last step: turns the final outcome journal into the report CSV (owner-only, 0600; with its header, cells that
 * a spreadsheet would run as formulas neutralised), counts the outcomes, and leaves the counts and
 * the final journal in the job's context for the summary and for a later attempt.
 */
public class ReportTasklet implements Tasklet {

    public static final String FINAL_JOURNAL = "journal.final.path";
    public static final String FINAL_JOURNAL_BYTES = "journal.final.bytes";

    private final JobRepository jobRepository;
    private final String grantStepName;
    private final Path runDirectory;
    private final Path report;

    public ReportTasklet(JobRepository jobRepository, String grantStepName, Path runDirectory, Path report) {
        this.jobRepository = jobRepository;
        this.grantStepName = grantStepName;
        this.runDirectory = runDirectory;
        this.report = report;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution jobExecution = chunkContext.getStepContext().getStepExecution().getJobExecution();
        StepExecution grant = jobRepository.getLastStepExecution(jobExecution.getJobInstance(), grantStepName);
        PreviousOutcomes.Source journal = OutcomeJournal.committedBy(grant.getExecutionContext(), runDirectory, grant.getId());

        OutcomeCounts counts = writeReport(journal);

        ExecutionContext jobContext = jobExecution.getExecutionContext();
        counts.saveTo(jobContext);
        jobContext.putString(FINAL_JOURNAL, journal.journal().toString());
        jobContext.putLong(FINAL_JOURNAL_BYTES, journal.committedBytes());
        return RepeatStatus.FINISHED;
    }

    private OutcomeCounts writeReport(PreviousOutcomes.Source journal) {
        OutcomeCounts counts = new OutcomeCounts();
        Path partial = report.resolveSibling(report.getFileName() + ".partial");
        try {
            try (BufferedWriter out = PrivateFiles.newWriter(partial);
                 CSVPrinter printer = new CSVPrinter(out, OutcomeCsv.FORMAT);
                 PreviousOutcomes rows = PreviousOutcomes.open(journal)) {
                printer.printRecord(OutcomeCsv.COLUMNS);
                for (RowOutcome row = rows.next(); row != null; row = rows.next()) {
                    counts.add(row.outcome());
                    printer.printRecord(row.line(), SpreadsheetSafe.cell(row.workerId()),
                            SpreadsheetSafe.cell(row.qualificationTypeId()), SpreadsheetSafe.number(row.integerValue()),
                            row.outcome().name(), SpreadsheetSafe.cell(row.detail()));
                }
            }
            Files.move(partial, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + report + ": " + e.getMessage(), e);
        }
        return counts;
    }
}
