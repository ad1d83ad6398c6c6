package io.qualgranter.grant;

import java.util.List;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.row.RowOutcome;

/** What keeps a chunk's calls from being made twice (the ledger: {@code ledger.RerunGuard}). */
public interface CallGuard {

    /** The rows, with those whose pair is already granted or was in doubt and is held now settled. */
    List<PlannedRow> settle(List<? extends PlannedRow> rows);

    /** Marks the calls about to be sent as pending, committed before any is sent. */
    void beforeCalls(List<GrantRequest> requests);

    /** Records the chunk's outcomes (the chunk's transaction). */
    void afterCalls(List<? extends PlannedRow> rows, List<RowOutcome> outcomes);
}
