package io.qualgranter.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

import io.qualgranter.grant.GrantRequest;
import io.qualgranter.grant.MTurkGateway;
import io.qualgranter.ledger.GrantLedger.Entry;
import io.qualgranter.ledger.GrantLedger.Key;
import io.qualgranter.report.Outcome;
import io.qualgranter.report.RowOutcome;
import io.qualgranter.validation.PlannedRow;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Keeps reruns from doing anything twice, one chunk at a time, around the grant writer's calls:
 * <ol>
 *   <li>{@link #settle}: a row an earlier run granted with the same value is ALREADY_GRANTED (unless
 *       {@code --force}); a row whose earlier call is still pending in the ledger (a crash, or an
 *       answer that never came) is <em>in doubt</em> and checked with GetQualificationScore: when the
 *       worker holds the intended value it is GRANTED ("confirmed after restart") with no call;</li>
 *   <li>{@link #beforeCalls}: the calls about to be sent are marked pending, committed at once;</li>
 *   <li>{@link #afterCalls}: granted rows are recorded and refused ones cleared, in the chunk's
 *       transaction, so the ledger commits with the chunk's checkpoint.</li>
 * </ol>
 */
public class RerunGuard {

    /** The detail of an in-doubt row found already granted after a crash. */
    public static final String CONFIRMED_AFTER_RESTART = "confirmed after restart";

    private final GrantLedger ledger;
    private final String endpoint;
    private final long jobExecutionId;
    private final boolean force;
    private final MTurkGateway gateway;
    private final BooleanSupplier stopRequested;
    private final Map<String, Boolean> typeInLedger = new HashMap<>();

    /**
     * @param gateway       asks GetQualificationScore about rows in doubt; null in a dry run (no call at all)
     * @param stopRequested when true, no check is made either (a graceful stop is under way)
     */
    public RerunGuard(GrantLedger ledger, String endpoint, long jobExecutionId, boolean force, MTurkGateway gateway,
                      BooleanSupplier stopRequested) {
        this.ledger = ledger;
        this.endpoint = endpoint;
        this.jobExecutionId = jobExecutionId;
        this.force = force;
        this.gateway = gateway;
        this.stopRequested = stopRequested;
    }

    /** The chunk's rows, with those the ledger settles settled. */
    public List<PlannedRow> settle(List<? extends PlannedRow> rows) {
        List<GrantRequest> asked = new ArrayList<>();
        for (PlannedRow row : rows) {
            if (askable(row) && inLedger(row.request().qualificationTypeId())) {
                asked.add(row.request());
            }
        }
        List<PlannedRow> settled = new ArrayList<>(rows);
        if (asked.isEmpty()) {
            return settled;
        }
        Map<Key, Entry> known = ledger.find(endpoint, asked);
        for (int i = 0; i < settled.size(); i++) {
            PlannedRow row = settled.get(i);
            Entry entry = askable(row) ? known.get(Key.of(row.request())) : null;
            if (entry != null) {
                settled.set(i, settle(row, entry));
            }
        }
        return settled;
    }

    private PlannedRow settle(PlannedRow row, Entry entry) {
        GrantRequest request = row.request();
        if (entry.pendingValue() != null) {
            return gateway == null || stopRequested.getAsBoolean() ? row : checkInDoubt(row);
        }
        if (!force && entry.grantedValue() != null && entry.grantedValue() == request.integerValue()) {
            return PlannedRow.settled(row.row(), request, Outcome.ALREADY_GRANTED, "granted by execution "
                    + entry.grantedBy() + " on " + entry.grantedAt().withNano(0).toString().replace('T', ' '));
        }
        return row;
    }

    private PlannedRow checkInDoubt(PlannedRow row) {
        GrantRequest request = row.request();
        try {
            OptionalInt held = gateway.score(request.workerId(), request.qualificationTypeId());
            if (held.isPresent() && held.getAsInt() == request.integerValue()) {
                return PlannedRow.settled(row.row(), request, Outcome.GRANTED, CONFIRMED_AFTER_RESTART);
            }
            return row;
        } catch (SdkException e) {
            return PlannedRow.settled(row.row(), request, Outcome.FAILED,
                    "in doubt after a restart and not sent: GetQualificationScore failed: " + e.getMessage());
        }
    }

    /**
     * Whether the ledger had anything for this type when this execution first met it. Cached for the
     * execution: its own rows are distinct pairs, so what it adds itself can never match a later row
     * of its own; a type nobody granted before (a first run) costs no lookup at all.
     */
    private boolean inLedger(String qualificationTypeId) {
        return typeInLedger.computeIfAbsent(qualificationTypeId, type -> ledger.hasEntries(endpoint, type));
    }

    /** Marks the calls about to be sent as pending, in a transaction of its own. */
    public void beforeCalls(List<GrantRequest> requests) {
        ledger.markPending(endpoint, requests, jobExecutionId);
    }

    /** Records the chunk's grants and forgets refused calls (the chunk's transaction). */
    public void afterCalls(List<? extends PlannedRow> rows, List<RowOutcome> outcomes) {
        List<GrantRequest> granted = new ArrayList<>();
        List<GrantRequest> refused = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            PlannedRow row = rows.get(i);
            RowOutcome outcome = outcomes.get(i);
            boolean fresh = row.needsCall() || CONFIRMED_AFTER_RESTART.equals(row.detail());
            if (row.request() == null || !fresh) {
                continue;
            }
            if (outcome.outcome() == Outcome.GRANTED) {
                granted.add(row.request());
            } else if (outcome.outcome() == Outcome.REJECTED) {
                refused.add(row.request());
            }
        }
        ledger.recordGranted(endpoint, granted, jobExecutionId);
        ledger.clearPending(endpoint, refused);
    }

    private boolean askable(PlannedRow row) {
        return row.request() != null && (row.needsCall() || row.outcome() == Outcome.WOULD_GRANT);
    }
}
