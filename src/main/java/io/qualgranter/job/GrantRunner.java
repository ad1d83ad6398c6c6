package io.qualgranter.job;

import static io.qualgranter.job.RunParameters.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.qualgranter.grant.CredentialsRejectedException;
import io.qualgranter.input.InputCheck;
import io.qualgranter.input.InputFileException;
import io.qualgranter.grant.WrongEnvironmentException;
import io.qualgranter.grant.ServiceUnavailableException;
import io.qualgranter.preflight.PreflightFailedException;
import io.qualgranter.row.Outcome;
import io.qualgranter.report.OutcomeCounts;
import io.qualgranter.validation.TooManyInvalidRowsException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns a grant command into the right job execution (design.md, Runs and reruns): a new run, the
 * resumption of a failed, stopped or dead one, the next attempt of a completed run that left FAILED
 * rows, or nothing at all; then turns the execution's end into an exit code.
 *
 * <p>Every command first takes the run's lease ({@link RunLease}): a live owner means exit 4 naming
 * it; a dead owner's execution (left STARTED by a kill -9 or a power loss) is marked FAILED with
 * {@link JobOperator#recover} and then resumed like any failed run. While the job runs, SIGTERM and
 * Ctrl-C ask it to stop gracefully ({@link RunControl}).
 */
@Component
public class GrantRunner {

    /** How the exit description of a recovered execution begins. */
    public static final String RECOVERED = "recovered:";

    private static final Logger log = LoggerFactory.getLogger(GrantRunner.class);

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job grantJob;
    private final RunLease runLease;
    private final RunControl runControl;
    private final JdbcTemplate jdbc;

    public GrantRunner(JobOperator jobOperator, JobRepository jobRepository, Job grantJob, RunLease runLease,
                       RunControl runControl, DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.grantJob = grantJob;
        this.runLease = runLease;
        this.runControl = runControl;
    }

    public RunResult run(GrantOptions options) {
        String sha256;
        try {
            if (!InputCheck.hasDataRows(options.input(), options.defaultType() != null)) {
                return RunResult.refused(ExitCodes.DONE, InputCheck.nothingToGrant(options.input()));
            }
            sha256 = InputFingerprint.sha256(options.input());
        } catch (InputFileException e) {
            return RunResult.refused(ExitCodes.NOTHING_SENT, e.getMessage());
        }
        String scope = runLease.scopeOf(runKey(options, sha256));
        String description = options.input().getFileName() + (options.dryRun() ? ", dry run" : "");
        try (RunLease.Lease lease = runLease.acquire(scope, description,
                () -> runControl.requestStop("the lease was taken over by another process"))) {
            for (LeaseHolder dead : lease.takenOver()) {
                if (dead.jobExecutionId() != null) {
                    recoverIfRunning(execution(dead.jobExecutionId()), dead.describe());
                }
            }
            runControl.begin(lease);
            return run(options, sha256);
        } catch (RunInProgressException e) {
            return RunResult.refused(ExitCodes.ALREADY_RUNNING, e.getMessage()
                    + "; wait for it to finish, or stop it (SIGTERM) and run the same command to resume");
        }
    }

    private JobExecution execution(long id) {
        try {
            return jobRepository.getJobExecution(id);
        } catch (EmptyResultDataAccessException e) {
            return null;
        }
    }

    /** Marks a dead execution FAILED (steps too) so that it can be resumed; says why in its exit description. */
    public JobExecution recoverIfRunning(JobExecution execution, String owner) {
        if (execution == null || !execution.getStatus().isRunning()) {
            return execution;
        }
        String why = RECOVERED + " the process that ran it is gone (" + owner + ")";
        log.warn("Execution {} was left {}: {}", execution.getId(), execution.getStatus(), why);
        execution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), why));
        // a resumed execution inherits its predecessor's context, including recover()'s own marker,
        // which would make recover() skip it: the exit description is what records a recovery
        execution.getExecutionContext().remove("recovered");
        return jobOperator.recover(execution);
    }

    private RunResult run(GrantOptions options, String sha256) {
        Attempt latest = latestAttempt(options, sha256);
        JobParametersBuilder next;
        String notice = null;
        if (latest == null) {
            next = parameters(options, sha256, 1);
            if (!options.dryRun()) {
                notice = abandonSuperseded(next.toJobParameters());
            }
        } else {
            JobExecution last = latest.lastExecution();
            if (last.getStatus().isRunning()) {
                // we hold the lease of its scope, so whoever ran it is gone
                last = recoverIfRunning(execution(last.getId()), "no live process holds its lease");
            }
            if (last.getStatus() == BatchStatus.UNKNOWN) {
                last = recoverUnknown(last);
            }
            BatchStatus status = latest.abandoned() ? BatchStatus.ABANDONED : last.getStatus();
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
                    next.addLong(CARRY_INSTANCE, last.getJobInstanceId(), false);
                }
            } else {
                next = parameters(options, sha256, latest.number()); // FAILED or STOPPED: resume
                Long carried = last.getJobParameters().getLong(CARRY_INSTANCE);
                if (carried != null) { // what the attempt carries over was decided when it started
                    next.addLong(CARRY_INSTANCE, carried, false);
                }
            }
        }
        RunResult result = launch(next.toJobParameters(), options.reportPath());
        return notice == null ? result : result.withNotice(notice);
    }

    /** A changed file is a new run: stopped runs of the same command on its old content are given up. */
    private String abandonSuperseded(JobParameters wanted) {
        List<String> notices = new ArrayList<>();
        for (JobExecution stopped : ChangedInputCheck.superseded(jobRepository, jdbc, wanted)) {
            try {
                jobOperator.abandon(stopped);
                String notice = ChangedInputCheck.describe(stopped, wanted);
                log.warn(notice);
                notices.add(notice);
            } catch (Exception e) {
                log.warn("Could not abandon superseded execution {}: {}", stopped.getId(), e.getMessage());
            }
        }
        return notices.isEmpty() ? null : String.join("; ", notices);
    }

    private RunResult launch(JobParameters parameters, Path report) {
        JobExecution execution;
        try (StopSignals signals = StopSignals.install(runControl::requestStop)) {
            execution = jobOperator.start(grantJob, parameters);
        } catch (JobExecutionAlreadyRunningException e) {
            return RunResult.refused(ExitCodes.ALREADY_RUNNING, "this run is already in progress: " + e.getMessage());
        } catch (Exception e) {
            log.error("The run failed", e);
            Optional<EnvironmentFault> fault = EnvironmentFault.of(e, true);
            if (fault.isPresent()) {
                return RunResult.refused(fault.get().exitCode(), fault.get().line());
            }
            return RunResult.refused(ExitCodes.RESUMABLE, "the run failed (" + EnvironmentFault.plain(e)
                    + "); see the log in $GRANTER_HOME/logs, then run the same command again to resume, or give the run"
                    + " up with 'abandon --execution-id N' (see 'status')");
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
            if (stopsBeforeSending(cause)) {
                return new RunResult(ExitCodes.NOTHING_SENT, cause.getMessage(), execution, counts, report);
            }
        }
        for (Throwable failure : failures) {
            if (rootOf(failure) instanceof ServiceUnavailableException busy) {
                return new RunResult(ExitCodes.RESUMABLE, busy.getMessage(), execution, counts, report);
            }
        }
        if (execution.getStatus() == BatchStatus.STOPPED) {
            String reason = runControl.stopReason() == null ? "on request" : "on " + runControl.stopReason();
            return new RunResult(ExitCodes.RESUMABLE, "stopped " + reason
                    + ": calls in flight finished and were recorded; run the same command to resume",
                    execution, counts, report);
        }
        for (Throwable failure : failures) {
            Optional<EnvironmentFault> fault = EnvironmentFault.of(failure, true);
            if (fault.isPresent()) {
                return new RunResult(fault.get().exitCode(), fault.get().line(), execution, counts, report);
            }
        }
        String reason = failures.isEmpty() ? execution.getStatus().toString().toLowerCase()
                : EnvironmentFault.plain(rootOf(failures.get(0)));
        return new RunResult(ExitCodes.RESUMABLE, "the run stopped part-way (" + reason
                + "); run the same command again to resume", execution, counts, report);
    }

    /** Failures that mean the run sent nothing it should not have: exit 2, not "resume". */
    private static boolean stopsBeforeSending(Throwable t) {
        return t instanceof InputFileException || t instanceof TooManyInvalidRowsException
                || t instanceof CredentialsRejectedException || t instanceof PreflightFailedException
                || t instanceof WrongEnvironmentException;
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t
                && !stopsBeforeSending(t) && !(t instanceof LeaseLostException)) {
            t = t.getCause();
        }
        return t;
    }

    /** An attempt (job instance) of the run; {@code abandoned} when any of its executions was abandoned. */
    private record Attempt(int number, JobExecution lastExecution, boolean abandoned) {
    }

    /**
     * An execution left UNKNOWN (its last save failed, e.g. an optimistic-lock failure) cannot be
     * restarted as it is. The run's state is safe: every outcome commits with its chunk's checkpoint, so
     * the execution and its unfinished steps are marked FAILED and the run resumes from its checkpoints.
     */
    private JobExecution recoverUnknown(JobExecution unknown) {
        JobExecution execution = execution(unknown.getId());
        String why = RECOVERED + " it was left UNKNOWN; resumed from its last checkpoint";
        log.warn("Execution {} was left UNKNOWN: marking it FAILED so that the run resumes from its checkpoints",
                execution.getId());
        for (var step : execution.getStepExecutions()) {
            if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.FAILED);
                step.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), why));
                if (step.getEndTime() == null) {
                    step.setEndTime(java.time.LocalDateTime.now());
                }
                jobRepository.update(step);
            }
        }
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(new ExitStatus(ExitStatus.FAILED.getExitCode(), why));
        if (execution.getEndTime() == null) {
            execution.setEndTime(java.time.LocalDateTime.now());
        }
        jobRepository.update(execution);
        return execution(unknown.getId());
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
            List<JobExecution> executions = jobRepository.getJobExecutions(instance);
            // Spring Batch never restarts an instance with an ABANDONED execution, even an older one
            boolean abandoned = executions.stream().anyMatch(e -> e.getStatus() == BatchStatus.ABANDONED);
            latest = new Attempt(attempt, jobRepository.getLastJobExecution(instance), abandoned);
        }
    }

    /** The run's identity without the attempt number: what one lease covers when leases are per run. */
    private static String runKey(GrantOptions o, String sha256) {
        JobParameters identity = parameters(o, sha256, 0).toJobParameters();
        StringBuilder key = new StringBuilder();
        identity.getIdentifyingParameters().stream()
                .filter(p -> !ATTEMPT.equals(p.name()))
                .sorted(java.util.Comparator.comparing(JobParameter::name))
                .forEach(p -> key.append(p.name()).append('=').append(p.value()).append('\n'));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
                .addString(PENDING_REQUESTS, o.pendingRequests().name(), false)
                .addString(HOLDERS, o.listing().name(), false);
    }
}
