package io.qualgranter.job;

import static io.qualgranter.job.RunParameters.*;

import java.nio.file.Path;
import java.util.List;

import io.qualgranter.grant.CredentialsRejectedException;
import io.qualgranter.input.Column;
import io.qualgranter.input.GrantInput;
import io.qualgranter.input.InputFileException;
import io.qualgranter.input.RowSource;
import io.qualgranter.grant.WrongEnvironmentException;
import io.qualgranter.preflight.PreflightFailedException;
import io.qualgranter.report.Outcome;
import io.qualgranter.report.OutcomeCounts;
import io.qualgranter.report.ReportTasklet;
import io.qualgranter.validation.TooManyInvalidRowsException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Turns a grant command into the right job execution (design.md, Runs and reruns): a new run, the
 * resumption of a failed or stopped one, the next attempt of a completed run that left FAILED rows,
 * or nothing at all; then turns the execution's end into an exit code.
 */
@Component
public class GrantRunner {

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job grantJob;

    public GrantRunner(JobOperator jobOperator, JobRepository jobRepository, Job grantJob) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.grantJob = grantJob;
    }

    public RunResult run(GrantOptions options) {
        String sha256;
        try {
            checkColumns(options);
            sha256 = InputFingerprint.sha256(options.input());
        } catch (InputFileException e) {
            return RunResult.refused(ExitCodes.NOTHING_SENT, e.getMessage());
        }

        Attempt latest = latestAttempt(options, sha256);
        JobParametersBuilder next;
        if (latest == null) {
            next = parameters(options, sha256, 1);
        } else {
            JobExecution last = latest.lastExecution();
            BatchStatus status = last.getStatus();
            if (status.isRunning()) {
                return RunResult.refused(ExitCodes.ALREADY_RUNNING, "run " + last.getId()
                        + " of this file is still in progress (started " + last.getStartTime() + ")");
            }
            if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
                OutcomeCounts before = OutcomeCounts.from(last.getExecutionContext());
                boolean retryFailed = status == BatchStatus.COMPLETED && before.get(Outcome.FAILED) > 0;
                if (!options.force() && !options.dryRun() && status == BatchStatus.COMPLETED && !retryFailed) {
                    return new RunResult(ExitCodes.DONE, "nothing to do: run " + last.getId() + " already finished this file ("
                            + before.total() + " rows, none FAILED); use --force to grant again", last, before,
                            Path.of(last.getJobParameters().getString(REPORT_PATH)));
                }
                next = parameters(options, sha256, latest.number() + 1);
                if (retryFailed && !options.force() && !options.dryRun()) {
                    next.addString(CARRY_JOURNAL, last.getExecutionContext().getString(ReportTasklet.FINAL_JOURNAL), false)
                        .addLong(CARRY_BYTES, last.getExecutionContext().getLong(ReportTasklet.FINAL_JOURNAL_BYTES), false);
                }
            } else {
                next = parameters(options, sha256, latest.number()); // FAILED or STOPPED: resume
            }
        }
        return launch(next.toJobParameters(), options.reportPath());
    }

    private RunResult launch(JobParameters parameters, Path report) {
        JobExecution execution;
        try {
            execution = jobOperator.start(grantJob, parameters);
        } catch (JobExecutionAlreadyRunningException e) {
            return RunResult.refused(ExitCodes.ALREADY_RUNNING, "this run is already in progress: " + e.getMessage());
        } catch (Exception e) {
            return RunResult.refused(ExitCodes.RESUMABLE, "the run could not start: " + e.getMessage());
        }
        return outcomeOf(execution, report);
    }

    private RunResult outcomeOf(JobExecution execution, Path report) {
        OutcomeCounts counts = OutcomeCounts.from(execution.getExecutionContext());
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            int code = counts.needsAttention() ? ExitCodes.DONE_WITH_PROBLEMS : ExitCodes.DONE;
            String message = code == ExitCodes.DONE ? "done" : "done, but some rows need attention: see the report";
            return new RunResult(code, message, execution, counts, report);
        }
        List<Throwable> failures = execution.getAllFailureExceptions();
        for (Throwable failure : failures) {
            Throwable cause = rootOf(failure);
            if (cause instanceof InputFileException || cause instanceof TooManyInvalidRowsException
                    || cause instanceof CredentialsRejectedException || cause instanceof PreflightFailedException
                    || cause instanceof WrongEnvironmentException) {
                return new RunResult(ExitCodes.NOTHING_SENT, cause.getMessage(), execution, counts, report);
            }
        }
        String reason = failures.isEmpty() ? execution.getStatus().toString().toLowerCase() : rootOf(failures.get(0)).getMessage();
        return new RunResult(ExitCodes.RESUMABLE, "the run stopped part-way (" + reason
                + "); run the same command again to resume", execution, counts, report);
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t
                && !(t instanceof InputFileException || t instanceof TooManyInvalidRowsException
                || t instanceof CredentialsRejectedException || t instanceof PreflightFailedException
                || t instanceof WrongEnvironmentException)) {
            t = t.getCause();
        }
        return t;
    }

    /** The file must be usable and say, with the options, who gets which qualification. */
    private static void checkColumns(GrantOptions options) {
        try (RowSource file = GrantInput.of(options.input()).open()) {
            if (!file.has(Column.WORKER)) {
                throw new InputFileException(options.input().getFileName()
                        + ": line 1: no WorkerId column (accepted: WorkerId, worker-id, worker_id, worker, Worker ID)");
            }
            if (!file.has(Column.TYPE) && options.defaultType() == null) {
                throw new InputFileException(options.input().getFileName()
                        + ": line 1: no QualificationTypeId column and no --qualification-type-id given");
            }
        }
    }

    private record Attempt(int number, JobExecution lastExecution) {
    }

    /** The newest attempt of this run identity, or null when there is none yet. */
    private Attempt latestAttempt(GrantOptions options, String sha256) {
        Attempt latest = null;
        for (int attempt = 1; ; attempt++) {
            JobParameters identity = parameters(options, sha256, attempt).toJobParameters();
            JobInstance instance = jobRepository.getJobInstance(GrantJobConfiguration.JOB_NAME, identity);
            if (instance == null) {
                return latest;
            }
            latest = new Attempt(attempt, jobRepository.getLastJobExecution(instance));
        }
    }

    private static JobParametersBuilder parameters(GrantOptions o, String sha256, int attempt) {
        return new JobParametersBuilder()
                .addString(INPUT_SHA256, sha256, true)
                .addString(DEFAULT_TYPE, o.defaultType() == null ? "" : o.defaultType(), true)
                .addLong(DEFAULT_VALUE, (long) o.defaultValue(), true)
                .addString(NOTIFY, Boolean.toString(o.sendNotification()), true)
                .addString(TARGET, o.endpoint().toString(), true)
                .addString(MODE, o.dryRun() ? MODE_DRY_RUN : MODE_GRANT, true)
                .addLong(ATTEMPT, (long) attempt, true)
                .addString(INPUT_PATH, o.input().toAbsolutePath().toString(), false)
                .addString(REPORT_PATH, o.reportPath().toAbsolutePath().toString(), false)
                .addDouble(RATE, o.rate(), false)
                .addLong(CONCURRENCY, (long) o.concurrency(), false)
                .addString(MAX_INVALID, o.maxInvalid().toString(), false)
                .addString(FORCE, Boolean.toString(o.force()), false)
                .addString(PENDING_REQUESTS, o.pendingRequests().name(), false);
    }
}
