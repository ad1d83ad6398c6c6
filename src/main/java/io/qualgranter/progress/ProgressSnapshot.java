package io.qualgranter.progress;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.qualgranter.row.Outcome;

/**
 * Where a run is: rows whose outcome is committed, out of the file's rows, the counts per outcome,
 * the recent rate (rows per second over the last interval) and the time left at that rate.
 *
 * @param total data rows in the file ({@code rows.total} from the validate step), or 0 when unknown
 * @param rate  rows per second recently; 0 when nothing moved
 */
public record ProgressSnapshot(long done, long total, Map<Outcome, Long> counts, double rate, Duration elapsed) {

    /** The time left at the recent rate, or null when it cannot be told. */
    public Duration eta() {
        if (total <= 0 || rate <= 0 || done >= total) {
            return done >= total && total > 0 ? Duration.ZERO : null;
        }
        return Duration.ofSeconds((long) Math.ceil((total - done) / rate));
    }

    public double percent() {
        return total <= 0 ? 0 : 100.0 * done / total;
    }

    /** e.g. {@code rows 1200/10000 (12.0%) GRANTED=1150 DUPLICATE=50; 5.0 rows/s; ETA 29m20s}. */
    public String line() {
        Duration eta = eta();
        return "rows " + done + "/" + (total > 0 ? total : "?") + String.format(" (%.1f%%)", percent())
                + (counts.isEmpty() ? "" : " " + countsText()) + String.format("; %.1f rows/s", rate)
                + "; ETA " + (eta == null ? "unknown" : format(eta)) + "; elapsed " + format(elapsed);
    }

    /** Counts per outcome, in the outcomes' order, e.g. {@code GRANTED=10 INVALID=2}. */
    public String countsText() {
        return counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, (s / 60) % 60, s % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
