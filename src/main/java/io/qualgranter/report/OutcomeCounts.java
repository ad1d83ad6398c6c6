package io.qualgranter.report;

import io.qualgranter.row.Outcome;

import java.util.EnumMap;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/** Rows per outcome; kept in the job's execution context as {@code count.<OUTCOME>} entries. */
public final class OutcomeCounts {

    private static final String PREFIX = "count.";

    private final EnumMap<Outcome, Long> counts = new EnumMap<>(Outcome.class);

    public void add(Outcome outcome) {
        counts.merge(outcome, 1L, Long::sum);
    }

    public void add(Outcome outcome, long n) {
        counts.merge(outcome, n, Long::sum);
    }

    public long get(Outcome outcome) {
        return counts.getOrDefault(outcome, 0L);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean needsAttention() {
        return counts.keySet().stream().anyMatch(o -> o.needsAttention() && get(o) > 0);
    }

    public Map<Outcome, Long> asMap() {
        return Map.copyOf(counts);
    }

    public void saveTo(ExecutionContext context) {
        for (Outcome outcome : Outcome.values()) {
            context.putLong(PREFIX + outcome.name(), get(outcome));
        }
    }

    public static OutcomeCounts from(ExecutionContext context) {
        OutcomeCounts counts = new OutcomeCounts();
        for (Outcome outcome : Outcome.values()) {
            long n = context.getLong(PREFIX + outcome.name(), 0L);
            if (n > 0) {
                counts.counts.put(outcome, n);
            }
        }
        return counts;
    }
}
