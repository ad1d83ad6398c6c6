package io.qualgranter.job;

import static io.qualgranter.job.RunParameters.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Before a new run starts: did the same command stop part-way on this same input path while the file
 * had other content? A changed file is a new run (design.md, Runs and reruns), so that stopped run
 * will never be resumed: the runner abandons it, says so, and goes on. Nothing is sent twice: what it
 * granted is in the ledger (ALREADY_GRANTED), and what it may have sent is still marked pending there
 * and checked with GetQualificationScore first. Runs that sent nothing and finished runs are left as
 * they are.
 */
final class ChangedInputCheck {

    /**
     * The last executions, FAILED or STOPPED, of runs on this input path: one query on the job
     * repository's tables instead of loading the last execution of every run (tens of milliseconds a
     * run, on the way to every first call; a daily single grant would add one run a day).
     */
    private static final String STOPPED_ON_PATH = "SELECT e.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION e"
            + " JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
            + " WHERE p.PARAMETER_NAME = ? AND p.PARAMETER_VALUE = ? AND e.STATUS IN ('FAILED', 'STOPPED')"
            + " AND e.JOB_EXECUTION_ID = (SELECT MAX(l.JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION l"
            + " WHERE l.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID)";

    private ChangedInputCheck() {
    }

    /** The last executions of the runs that the new run supersedes (usually none). */
    static List<JobExecution> superseded(JobRepository repository, JdbcTemplate jdbc, JobParameters wanted) {
        List<JobExecution> superseded = new ArrayList<>();
        List<Long> stopped = jdbc.queryForList(STOPPED_ON_PATH, Long.class, INPUT_PATH, wanted.getString(INPUT_PATH));
        for (Long id : stopped) {
            JobExecution last = repository.getJobExecution(id);
            if (last == null || !sameCommandOtherContent(last.getJobParameters(), wanted)) {
                continue;
            }
            if (sentSomething(repository, last.getJobInstance())) {
                superseded.add(last);
            }
        }
        return superseded;
    }

    private static boolean sameCommandOtherContent(JobParameters earlier, JobParameters wanted) {
        return MODE_GRANT.equals(earlier.getString(MODE))
                && Objects.equals(earlier.getString(INPUT_PATH), wanted.getString(INPUT_PATH))
                && !Objects.equals(earlier.getString(INPUT_SHA256), wanted.getString(INPUT_SHA256))
                && Objects.equals(earlier.getString(DEFAULT_TYPE), wanted.getString(DEFAULT_TYPE))
                && Objects.equals(earlier.getLong(DEFAULT_VALUE), wanted.getLong(DEFAULT_VALUE))
                && Objects.equals(earlier.getString(NOTIFY), wanted.getString(NOTIFY))
                && Objects.equals(earlier.getString(TARGET), wanted.getString(TARGET));
    }

    private static boolean sentSomething(JobRepository repository, JobInstance instance) {
        for (JobExecution execution : repository.getJobExecutions(instance)) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (GrantJobConfiguration.GRANT_STEP.equals(step.getStepName()) && step.getWriteCount() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One line for the operator about a run this one superseded. */
    static String describe(JobExecution last, JobParameters wanted) {
        String path = wanted.getString(INPUT_PATH);
        String name = path == null ? "the input" : java.nio.file.Path.of(path).getFileName().toString();
        return name + " changed since run " + last.getJobInstance().getInstanceId() + " (execution " + last.getId()
                + ") stopped part-way on it (SHA-256 " + shortHash(last.getJobParameters().getString(INPUT_SHA256))
                + " then, " + shortHash(wanted.getString(INPUT_SHA256)) + " now): that run was abandoned and this is"
                + " a new one; rows it granted were not sent again (ledger)";
    }

    private static String shortHash(String sha256) {
        return sha256 == null || sha256.length() < 12 ? String.valueOf(sha256) : sha256.substring(0, 12) + "...";
    }
}
