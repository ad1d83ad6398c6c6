package io.qualgranter.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;

import io.qualgranter.holders.ListHoldersTasklet;
import io.qualgranter.job.ExitCodes;
import io.qualgranter.job.RunResult;
import io.qualgranter.pending.PendingRequestsMode;
import io.qualgranter.pending.PendingRequestsTasklet;
import io.qualgranter.row.Outcome;

import org.springframework.batch.core.job.JobExecution;

/** The one-screen end-of-run summary: counts per outcome, elapsed time, rate, report, what to do next. */
final class Summary {

    private Summary() {
    }

    static void print(PrintWriter out, PrintWriter err, RunResult result) {
        JobExecution execution = result.execution();
        if (execution == null || result.counts() == null || result.counts().total() == 0) {
            (result.exitCode() == ExitCodes.DONE ? out : err).println("granter: " + result.message());
            (result.exitCode() == ExitCodes.DONE ? out : err).flush();
            return;
        }
        Duration elapsed = elapsed(execution);
        long rows = result.counts().total();
        out.printf("Run %d (execution %d): %s in %s%n", execution.getJobInstance().getInstanceId(), execution.getId(),
                execution.getStatus(), format(elapsed));
        for (Outcome outcome : Outcome.values()) {
            long n = result.counts().get(outcome);
            if (n > 0) {
                out.printf("  %-16s %9d%n", outcome, n);
            }
        }
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        out.printf("  %-16s %9d  (%.1f rows/s)%n", "rows", rows, rows / seconds);
        if (result.report() != null) {
            out.println("Report: " + result.report());
        }
        printHolders(out, execution);
        printPendingRequests(out, execution);
        (result.exitCode() == ExitCodes.DONE ? out : err).println("granter: " + result.message());
        out.flush();
        err.flush();
    }

    /** What the holder listing did (see ListHoldersTasklet), when it ran. */
    private static void printHolders(PrintWriter out, JobExecution execution) {
        var context = execution.getExecutionContext();
        if (context.getLong(ListHoldersTasklet.PAGES, 0L) == 0) {
            return;
        }
        out.println("Holders listed at the service: " + context.getLong(ListHoldersTasklet.LISTED) + " ("
                + context.getLong(ListHoldersTasklet.PAGES) + " page(s)); rows settled by them (held at the service, no call): "
                + context.getLong(ListHoldersTasklet.SETTLED));
    }

    /** Pending qualification requests of the workers granted (see PendingRequestsTasklet), when there were any. */
    private static void printPendingRequests(PrintWriter out, JobExecution execution) {
        var context = execution.getExecutionContext();
        long matched = context.getLong(PendingRequestsTasklet.MATCHED, 0L);
        if (matched == 0) {
            return;
        }
        long rejected = context.getLong(PendingRequestsTasklet.REJECTED, 0L);
        boolean reject = PendingRequestsMode.REJECT.name().equals(context.getString(PendingRequestsTasklet.MODE, ""));
        out.println("Pending qualification requests of workers granted in this run: " + matched
                + (reject ? " (" + rejected + " rejected)" : " (left open: granting them later would change the score;"
                + " --pending-requests reject closes them)")
                + ": " + context.getString(PendingRequestsTasklet.FILE, ""));
    }

    private static Duration elapsed(JobExecution execution) {
        LocalDateTime start = execution.getStartTime();
        LocalDateTime end = execution.getEndTime() != null ? execution.getEndTime() : LocalDateTime.now();
        return start == null ? Duration.ZERO : Duration.between(start, end);
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms < 60_000 ? String.format("%.1f s", ms / 1000.0) : String.format("%d min %d s", ms / 60_000, (ms / 1000) % 60);
    }
}
