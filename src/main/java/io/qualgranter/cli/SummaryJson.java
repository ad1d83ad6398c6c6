package io.qualgranter.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import io.qualgranter.holders.ListHoldersTasklet;
import io.qualgranter.job.GrantOptions;
import io.qualgranter.job.RunParameters;
import io.qualgranter.job.RunResult;
import io.qualgranter.row.Outcome;
import io.qualgranter.report.OutcomeCounts;
import io.qualgranter.report.PrivateFiles;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.json.JsonWriter;

/**
 * {@code --summary-json FILE}: how the command ended, for cron wrappers and dashboards — run and
 * execution ids, input and its SHA-256, counts per outcome (every outcome, zeros included),
 * elapsed seconds, mean rate, exit code, and what a holder listing did ({@code holders}, when one ran). Written whole or not at all (a temporary file, then a move).
 */
final class SummaryJson {

    private SummaryJson() {
    }

    /** The summary as an ordered map (null values for what a refused command never had). */
    static Map<String, Object> of(GrantOptions options, RunResult result) {
        JobExecution execution = result.execution();
        OutcomeCounts counts = result.counts() != null ? result.counts() : new OutcomeCounts();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("run_id", execution == null ? null : execution.getJobInstance().getInstanceId());
        summary.put("execution_id", execution == null ? null : execution.getId());
        summary.put("status", execution == null ? "NOT_STARTED" : execution.getStatus().toString());
        summary.put("exit_code", result.exitCode());
        summary.put("message", result.message());
        summary.put("input", options == null ? null : options.input().toAbsolutePath().toString());
        summary.put("input_sha256", execution == null ? null
                : execution.getJobParameters().getString(RunParameters.INPUT_SHA256));
        summary.put("dry_run", options != null && options.dryRun());
        summary.put("target", options == null ? null : options.endpoint().toString());
        summary.put("report", result.report() == null ? null : result.report().toAbsolutePath().toString());
        summary.put("started", execution == null ? null : timestamp(execution.getStartTime()));
        summary.put("ended", execution == null ? null : timestamp(execution.getEndTime()));
        Duration elapsed = elapsed(execution);
        summary.put("elapsed_seconds", elapsed.toMillis() / 1000.0);
        summary.put("rows", counts.total());
        summary.put("mean_rate", elapsed.isZero() ? 0.0 : Math.round(counts.total() * 1e4 / elapsed.toMillis()) / 10.0);
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            byOutcome.put(outcome.name(), counts.get(outcome));
        }
        summary.put("counts", byOutcome);
        var context = execution == null ? null : execution.getExecutionContext();
        if (context != null && context.getLong(ListHoldersTasklet.PAGES, 0L) > 0) {
            Map<String, Long> holders = new LinkedHashMap<>();
            holders.put("listed", context.getLong(ListHoldersTasklet.LISTED));
            holders.put("pages", context.getLong(ListHoldersTasklet.PAGES));
            holders.put("rows_settled", context.getLong(ListHoldersTasklet.SETTLED));
            summary.put("holders", holders);
        }
        return summary;
    }

    static void write(Path file, GrantOptions options, RunResult result) throws IOException {
        String json = JsonWriter.standard().writeToString(of(options, result)) + "\n";
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (Writer out = PrivateFiles.newWriter(partial)) { // owner-only, 0600, like the report
            out.write(json);
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String timestamp(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toOffsetDateTime().toString();
    }

    private static Duration elapsed(JobExecution execution) {
        if (execution == null || execution.getStartTime() == null) {
            return Duration.ZERO;
        }
        LocalDateTime end = execution.getEndTime() != null ? execution.getEndTime() : LocalDateTime.now();
        return Duration.between(execution.getStartTime(), end);
    }
}
