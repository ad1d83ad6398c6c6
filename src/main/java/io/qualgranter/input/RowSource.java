package io.qualgranter.input;

import io.qualgranter.row.GrantRow;

import java.util.Set;

/**
 * A stream of {@link GrantRow}s from one input, whatever its format (CSV/TSV, JSON Lines, the
 * Requester website's worker file). Open one with {@link GrantInput#open()}, call {@link #next()}
 * until it answers null, close it.
 */
public interface RowSource extends AutoCloseable {

    /** The next row, or null at the end of the input. */
    GrantRow next();

    /** Whether the rows of this input can carry the given column (a CSV header names it, JSON Lines always can). */
    boolean has(Column column);

    /** Whether the input names its qualification types (the website's worker file) instead of giving ids. */
    default boolean typesByName() {
        return false;
    }

    /**
     * Qualification type <em>names</em> (not ids) that the rows read so far asked for: the website's
     * worker file names its types, which the preflight resolves to the caller's own type ids.
     */
    default Set<String> qualificationNames() {
        return Set.of();
    }

    @Override
    void close();
}
