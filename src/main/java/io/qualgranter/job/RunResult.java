package io.qualgranter.job;

import java.nio.file.Path;

import io.qualgranter.report.OutcomeCounts;

import org.springframework.batch.core.job.JobExecution;

/** How a grant command ended: its exit code, a one-line message, and (when a run happened) its numbers. */
public record RunResult(int exitCode, String message, JobExecution execution, OutcomeCounts counts, Path report) {

    public static RunResult refused(int exitCode, String message) {
        return new RunResult(exitCode, message, null, null, null);
    }

    /** The same result, its message preceded by something the operator should know about this run. */
    public RunResult withNotice(String notice) {
        return new RunResult(exitCode, notice + ". " + message, execution, counts, report);
    }
}
