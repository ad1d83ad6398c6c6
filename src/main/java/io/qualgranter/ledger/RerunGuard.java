package io.qualgranter.ledger;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.grant.CallGuard;
import io.qualgranter.grant.MTurkGateway;
import io.qualgranter.ledger.GrantLedger.Claim;
import io.qualgranter.ledger.GrantLedger.Entry;
import io.qualgranter.ledger.GrantLedger.Key;
import io.qualgranter.row.Outcome;
import io.qualgranter.row.RowOutcome;
import io.qualgranter.row.PlannedRow;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Keeps reruns from doing anything twice, one chunk at a time, around the grant writer's calls:
 * <ol>
 *   <li>{@link #settle}: a row an earlier run granted with the same value is ALREADY_GRANTED (unless
 *       {@code --force}); a row whose earlier call is still pending in the ledger (a crash, or an
 *       answer that never came) is <em>in doubt</em> and checked with GetQualificationScore: when the
 *       worker holds the intended value it is GRANTED ("confirmed after restart") with no call;</li>
 *   <li>{@link #beforeCalls}: the pairs about to be called for are <em>claimed</em> for this execution,
 *       committed at once, each only if the ledger still holds what its row was settled against
 *       ({@link GrantLedger#claim}); a pair another run claimed or granted meanwhile is not sent;</li>
 *   <li>{@link #heldElsewhere}: a row whose pair another live run holds waits (up to the claim wait) for
 *       that run's chunk to commit: ALREADY_GRANTED when it granted the same value, else FAILED with a
 *       detail naming the other execution, so that the next attempt (the same command) sends it;</li>
 *   <li>{@link #afterCalls}: granted rows are recorded and refused ones cleared, in the chunk's
 *       transaction, so the ledger commits with the chunk's checkpoint.</li>
 * </ol>
 *
 * <p>A claim whose owner is alive (its run's lease is held: {@code liveOwner}) is never taken; one whose
 * owner is gone is in doubt like any other pending call: checked with GetQualificationScore, then
 * taken over.
 */
public class RerunGuard implements CallGuard, AutoCloseable {

    /** The detail of an in-doubt row found already granted after a crash. */
    public static final String CONFIRMED_AFTER_RESTART = "confirmed after restart";
    /** The detail of a row whose worker the service listed as holding the value already (no call, no email). */
    public static final String HELD_AT_THE_SERVICE = "held at the service";

    private final GrantLedger ledger;
    private final String endpoint;
    private final long jobExecutionId;
    private final boolean force;
    private final MTurkGateway gateway;
    private final BooleanSupplier stopRequested;
    private final Map<String, Boolean> typeInLedger = new HashMap<>();
    /** What the ledger held, at the last {@link #settle}, for the rows it looked up: what a claim expects. */
    private final Map<Key, Entry> seen = new HashMap<>();
    /** The type {@link #inLedger} answered last, and its answer (rows come in runs of one type). */
    private String lastTypeAsked;
    private boolean lastTypeInLedger;
    /** Pairs a live run other than this one held at the last {@link #settle}: never claimed from it. */
    private final Set<Key> heldByLiveRun = new HashSet<>();
    /** Whether the owners of claims met at the last {@link #settle} are alive, asked once each. */
    private final Map<Long, Boolean> ownerAlive = new HashMap<>();
    private LongPredicate liveOwner = execution -> false;
    private Duration claimWait = Duration.ZERO;
    /**
     * Rows found ALREADY_GRANTED by block lookups after which a row waits for its type's pairs to be in
     * memory rather than being looked up: a rerun over mostly granted rows, where lookups (~30k rows/s
     * on H2) would only slow the load down, on two cores.
     */
    static final int WAIT_FOR_MEMORY_AFTER = 10_000;

    private final GrantedPairsLoader grantedPairs;
    private long alreadyGrantedFromDatabase;
    private Long lastOriginBy;
    private LocalDateTime lastOriginAt;
    private String lastOriginDetail;
    private boolean lastOriginHeldAtService;

    /**
     * @param gateway       asks GetQualificationScore about rows in doubt; null in a dry run (no call at all)
     * @param stopRequested when true, no check is made either (a graceful stop is under way)
     */
    public RerunGuard(GrantLedger ledger, String endpoint, long jobExecutionId, boolean force, MTurkGateway gateway,
                      BooleanSupplier stopRequested) {
        this(ledger, endpoint, jobExecutionId, force, gateway, stopRequested, 0);
    }

    /**
     * @param memory the most the types' granted pairs may take in memory, all types together (0: none
     *               is loaded, every row is looked up in the database; none either with --force, which
     *               leaves nothing ALREADY_GRANTED)
     */
    public RerunGuard(GrantLedger ledger, String endpoint, long jobExecutionId, boolean force, MTurkGateway gateway,
                      BooleanSupplier stopRequested, long memory) {
        this.grantedPairs = memory > 0 && !force ? new GrantedPairsLoader(ledger, endpoint, memory) : null;
        this.ledger = ledger;
        this.endpoint = endpoint;
        this.jobExecutionId = jobExecutionId;
        this.force = force;
        this.gateway = gateway;
        this.stopRequested = stopRequested;
    }

    /**
     * The chunk's rows, with those the ledger settles settled. A row whose pair the type's granted pairs
     * in memory hold with the same value is ALREADY_GRANTED at once; every other row that may be in the
     * ledger (absent from memory, another value, pending, a type too big to hold or still loading) is
     * looked up in the database, as it stands now, in one query per block and type.
     */
    public List<PlannedRow> settle(List<? extends PlannedRow> rows) {
        seen.clear();
        heldByLiveRun.clear();
        ownerAlive.clear();
        List<PlannedRow> settled = new ArrayList<>(rows);
        List<GrantRequest> asked = new ArrayList<>();
        if (grantedPairs != null) {
            Set<String> types = new HashSet<>();
            String last = null; // rows come in runs of one type: one set insert per run, not per row
            for (PlannedRow row : rows) {
                if (askable(row)) {
                    String type = row.request().qualificationTypeId();
                    if (!type.equals(last)) {
                        types.add(type);
                        last = type;
                    }
                }
            }
            types.removeIf(type -> !inLedger(type));
            grantedPairs.load(types);
        }
        for (int i = 0; i < settled.size(); i++) {
            PlannedRow row = settled.get(i);
            if (askable(row) && inLedger(row.request().qualificationTypeId())) {
                PlannedRow fromMemory = settleFromMemory(row);
                if (fromMemory != null) {
                    settled.set(i, fromMemory);
                } else {
                    asked.add(row.request());
                }
            }
        }
        if (asked.isEmpty()) {
            return settled;
        }
        Map<Key, Entry> known = ledger.find(endpoint, asked);
        seen.putAll(known);
        for (int i = 0; i < settled.size(); i++) {
            PlannedRow row = settled.get(i);
            Entry entry = askable(row) ? known.get(Key.of(row.request())) : null;
            if (entry != null) {
                settled.set(i, settle(row, entry));
                alreadyGrantedFromDatabase += settled.get(i).outcome() == Outcome.ALREADY_GRANTED ? 1 : 0;
            }
        }
        return settled;
    }

    /**
     * The row ALREADY_GRANTED by the type's granted pairs in memory, or null when they do not settle it.
     * They are the ledger as it was when this execution first met the type: its own grants are of distinct
     * pairs (duplicates never reach the ledger), so none of them could match a later row of its own.
     */
    private PlannedRow settleFromMemory(PlannedRow row) {
        GrantRequest request = row.request();
        GrantedWorkers granted = grantedPairs == null ? null
                : grantedPairs.ready(request.qualificationTypeId(), alreadyGrantedFromDatabase >= WAIT_FOR_MEMORY_AFTER);
        Entry entry = granted == null ? null : granted.find(request.workerId());
        if (entry == null || entry.grantedValue() != request.integerValue()) {
            return null;
        }
        return settle(row, entry);
    }

    private PlannedRow settle(PlannedRow row, Entry entry) {
        GrantRequest request = row.request();
        if (entry.pendingValue() != null) {
            Long owner = entry.pendingBy();
            if (owner != null && owner != jobExecutionId
                    && ownerAlive.computeIfAbsent(owner, id -> liveOwner.test(id))) {
                heldByLiveRun.add(Key.of(request));
                return row; // another live run is calling for it: its claim stands (see heldElsewhere)
            }
            return gateway == null || stopRequested.getAsBoolean() ? row : checkInDoubt(row);
        }
        if (!force && entry.grantedValue() != null && entry.grantedValue() == request.integerValue()) {
            return PlannedRow.settled(row.row(), request, Outcome.ALREADY_GRANTED, alreadyGrantedDetail(entry));
        }
        return row;
    }

    /** "granted by execution N on TIME", the same String for the rows of one origin in a row (most of a rerun). */
    private String alreadyGrantedDetail(Entry entry) {
        if (!Objects.equals(entry.grantedBy(), lastOriginBy) || !Objects.equals(entry.grantedAt(), lastOriginAt)
                || entry.heldAtService() != lastOriginHeldAtService) {
            lastOriginBy = entry.grantedBy();
            lastOriginAt = entry.grantedAt();
            lastOriginHeldAtService = entry.heldAtService();
            String when = entry.grantedAt().withNano(0).toString().replace('T', ' ');
            lastOriginDetail = entry.heldAtService()
                    ? HELD_AT_THE_SERVICE + " (listed by execution " + entry.grantedBy() + " on " + when + ")"
                    : "granted by execution " + entry.grantedBy() + " on " + when;
        }
        return lastOriginDetail;
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
        if (qualificationTypeId.equals(lastTypeAsked)) {
            return lastTypeInLedger;
        }
        boolean inLedger = typeInLedger.computeIfAbsent(qualificationTypeId, type -> ledger.hasEntries(endpoint, type));
        lastTypeAsked = qualificationTypeId;
        lastTypeInLedger = inLedger;
        return inLedger;
    }

    /**
     * Claims across runs: a claim whose owner is alive ({@code liveOwner}, asked with the owner's
     * job execution id) is never taken; a row whose pair another live run holds waits up to {@code wait}
     * for it (see {@link #heldElsewhere}).
     */
    public RerunGuard claimsAgainst(LongPredicate liveOwner, Duration wait) {
        this.liveOwner = liveOwner;
        this.claimWait = wait;
        return this;
    }

    /** Claims the pairs about to be called for, in a transaction of its own; returns the requests this run may send. */
    public List<GrantRequest> beforeCalls(List<GrantRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        Set<Key> held = ledger.claim(endpoint, requests.stream().filter(r -> !heldByLiveRun.contains(Key.of(r)))
                .map(r -> new Claim(r, seen.get(Key.of(r)))).toList(), jobExecutionId);
        return held.size() == requests.size() ? requests
                : requests.stream().filter(r -> held.contains(Key.of(r))).toList();
    }

    /**
     * The outcomes of rows whose pair another run claimed first: once that run's claim is gone (its chunk
     * committed), ALREADY_GRANTED when it granted the same value; FAILED when it did not, or when it still
     * holds the pair after the claim wait, with a detail naming it: the next attempt sends those rows.
     */
    public List<RowOutcome> heldElsewhere(List<? extends PlannedRow> rows) {
        RowOutcome[] outcomes = new RowOutcome[rows.size()];
        long deadline = System.nanoTime() + claimWait.toNanos();
        while (true) {
            List<GrantRequest> open = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (outcomes[i] == null) {
                    open.add(rows.get(i).request());
                }
            }
            if (open.isEmpty()) {
                return List.of(outcomes);
            }
            Map<Key, Entry> now = ledger.find(endpoint, open);
            boolean giveUp = System.nanoTime() >= deadline || stopRequested.getAsBoolean();
            for (int i = 0; i < rows.size(); i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = afterTheOtherRun(rows.get(i), now.get(Key.of(rows.get(i).request())), giveUp);
                }
            }
            if (!giveUp && Arrays.asList(outcomes).contains(null) && !pause()) {
                deadline = System.nanoTime(); // interrupted: give up at the next look
            }
        }
    }

    /** The row's outcome once the other run's claim is gone; null while it still holds the pair (unless giving up). */
    private RowOutcome afterTheOtherRun(PlannedRow row, Entry entry, boolean giveUp) {
        if (entry != null && entry.pendingValue() != null && !Objects.equals(entry.pendingBy(), jobExecutionId)) {
            return !giveUp ? null : row.settle(Outcome.FAILED, "not sent: execution " + entry.pendingBy()
                    + " of another run is granting this pair; run the same command again once it is done");
        }
        if (entry != null && entry.grantedValue() != null && entry.grantedBy() != null
                && entry.grantedValue() == row.request().integerValue()) {
            return row.settle(Outcome.ALREADY_GRANTED, alreadyGrantedDetail(entry) + " (another run, meanwhile)");
        }
        return row.settle(Outcome.FAILED, "not sent: another run claimed this pair at the same time"
                + " and did not grant this value; run the same command again to send it");
    }

    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        ledger.clearPending(endpoint, refused, jobExecutionId);
    }

    /** Waits until the granted pairs of the types met so far are loaded (or found not to fit): for tests. */
    void awaitGrantedPairs() {
        if (grantedPairs != null) {
            grantedPairs.await();
        }
    }

    /** Stops loading the ledger's pairs into memory, if under way. */
    @Override
    public void close() {
        if (grantedPairs != null) {
            grantedPairs.close();
        }
    }

    private boolean askable(PlannedRow row) {
        return row.request() != null && (row.needsCall() || row.outcome() == Outcome.WOULD_GRANT);
    }
}
