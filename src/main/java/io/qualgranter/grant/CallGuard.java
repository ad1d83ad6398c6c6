package io.qualgranter.grant;

import java.util.List;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.row.RowOutcome;

/** What keeps a chunk's calls from being made twice (the ledger: {@code ledger.RerunGuard}). */
public interface CallGuard {

    /** The rows, with those whose pair is already granted or was in doubt and is held now settled. */
    List<PlannedRow> settle(List<? extends PlannedRow> rows);

    /**
     * Claims the calls about to be sent, committed before any is sent; returns those this run may send:
     * the others' pairs another run claimed or granted meanwhile.
     */
    List<GrantRequest> beforeCalls(List<GrantRequest> requests);

    /** The outcomes of rows not sent because another run held their pair (see {@link #beforeCalls}), in order. */
    List<RowOutcome> heldElsewhere(List<? extends PlannedRow> rows);

    /** Records the chunk's outcomes (the chunk's transaction). */
    void afterCalls(List<? extends PlannedRow> rows, List<RowOutcome> outcomes);
}
