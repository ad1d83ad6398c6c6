package io.qualgranter.validation;

import io.qualgranter.row.OutcomeCursor;
import io.qualgranter.row.RowOutcome;

/**
 * The outcomes of the completed attempt a run tries again, read forward in line order alongside the
 * input: the plan step carries every one but FAILED over.
 */
public final class PreviousOutcomes implements AutoCloseable {

    private final OutcomeCursor records;
    private RowOutcome next;

    public PreviousOutcomes(OutcomeCursor records) {
        this.records = records == null ? OutcomeCursor.EMPTY : records;
    }

    public static PreviousOutcomes none() {
        return new PreviousOutcomes(OutcomeCursor.EMPTY);
    }

    /** The outcome of the given input line, or null; lines must be asked for in increasing order. */
    public RowOutcome at(long line) {
        while ((next == null || next.line() < line)) {
            RowOutcome read = records.next();
            if (read == null) {
                break;
            }
            next = read;
        }
        return next != null && next.line() == line ? next : null;
    }

    /**
     * The outcome of the given input line and type, or null; asked for in increasing line order. A line
     * of the website's worker file has one outcome per type, in column order.
     */
    public RowOutcome at(long line, String qualificationTypeId) {
        RowOutcome candidate = at(line);
        while (candidate != null && !qualificationTypeId.equals(candidate.qualificationTypeId())) {
            RowOutcome read = records.next();
            if (read == null) {
                return null;
            }
            next = read;
            candidate = next.line() == line ? next : null;
        }
        return candidate;
    }

    @Override
    public void close() {
        records.close();
    }
}
