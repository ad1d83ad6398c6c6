package io.qualgranter.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.qualgranter.row.GrantRequest;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable record, across runs, of what was granted: (endpoint, qualification type, worker) →
 * value, execution, time; plus the value of a call that was about to be sent and whose outcome is
 * not recorded yet ("pending"). It lives in the job repository's database (GRANTER_LEDGER), so its
 * writes commit with the chunk's checkpoint; only {@link #claim} commits on its own, before
 * the calls, so that a crash can never hide a call that may have reached the service.
 *
 * <p>Lookups are batched per block of planned rows and type, never one per row, in the form each
 * database answers with index lookups: on PostgreSQL {@code WORKER_ID = ANY (?)} with an array of the
 * block's workers (one query); on H2 a row-value IN list on the whole primary key, 500 pairs a query
 * (H2 answers {@code ... AND WORKER_ID IN (...)} by scanning every worker of the type).
 */
public class GrantLedger {

    /** A (qualification type, worker) pair. */
    public record Key(String qualificationTypeId, String workerId) {

        public static Key of(GrantRequest request) {
            return new Key(request.qualificationTypeId(), request.workerId());
        }
    }

    /**
     * What the ledger knows about one pair.
     *
     * @param grantedValue the value last granted, or null
     * @param grantedBy    the job execution that granted it
     * @param grantedAt    when
     * @param pendingValue the value of a call that may have been sent without its outcome being recorded, or null
     * @param pendingBy    the job execution that claimed the pair for that call (its owner), or null
     * @param heldAtService the value was listed as held at the service by {@code grantedBy}, not granted by this tool
     */
    public record Entry(Integer grantedValue, Long grantedBy, LocalDateTime grantedAt, Integer pendingValue,
                        Long pendingBy, boolean heldAtService) {

        /** An entry whose pending call, if any, names no execution. */
        public Entry(Integer grantedValue, Long grantedBy, LocalDateTime grantedAt, Integer pendingValue) {
            this(grantedValue, grantedBy, grantedAt, pendingValue, null, false);
        }

        public Entry(Integer grantedValue, Long grantedBy, LocalDateTime grantedAt, Integer pendingValue, Long pendingBy) {
            this(grantedValue, grantedBy, grantedAt, pendingValue, pendingBy, false);
        }
    }

    /**
     * A call this execution wants to send, with what the ledger held for its pair when its row was
     * settled ({@code seen}; null: nothing).
     */
    public record Claim(GrantRequest request, Entry seen) {
    }

    /** GRANTER_LEDGER.SOURCE of a pair listed as held at the service. */
    static final String SERVICE = "SERVICE";
    private static final int MAX_IN_LIST = 500;
    private static final int STREAMING_FETCH_SIZE = 10_000;

    private final JdbcTemplate jdbc;
    private final boolean postgres;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate someTransaction;
    private final JdbcTemplate streaming;

    public GrantLedger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.postgres = RepositoryDatabase.isPostgres(jdbc.getDataSource());
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.someTransaction = new TransactionTemplate(transactionManager);
        this.streaming = new JdbcTemplate(jdbc.getDataSource());
        this.streaming.setFetchSize(STREAMING_FETCH_SIZE);
    }

    /**
     * How many workers the ledger knows for this type at this endpoint, counted up to {@code enough} only
     * (pairs the ledger has for the type, from its primary key: a pair whose only call is pending counts
     * too). Bounded, because a type may have a million rows and the caller only asks "at least this many?".
     */
    public long holdersUpTo(String endpoint, String qualificationTypeId, long enough) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT 1 FROM GRANTER_LEDGER WHERE ENDPOINT = ?"
                + " AND QUALIFICATION_TYPE_ID = ? FETCH FIRST ? ROWS ONLY) KNOWN", Long.class, endpoint,
                qualificationTypeId, Math.max(0, enough));
        return n == null ? 0 : n;
    }

    /** Whether the ledger holds anything for this endpoint and type (one indexed probe). */
    public boolean hasEntries(String endpoint, String qualificationTypeId) {
        return !jdbc.queryForList("SELECT 1 FROM GRANTER_LEDGER WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID = ?"
                + " FETCH FIRST 1 ROWS ONLY", Integer.class, endpoint, qualificationTypeId).isEmpty();
    }

    /**
     * The pairs of this endpoint and these types granted and not pending, per type, read in one
     * streaming query into memory; empty when they would take more than the budget allows (reading
     * stops there: the caller looks rows up per block instead), or once {@code stop} says so. Pending
     * pairs are left out: they need the database's word.
     *
     * <p>PostgreSQL's planner picks a scan or the index itself; H2 always takes the primary key's index
     * for the type, and reads each row behind it at random (~250k rows/s), so when the whole table is
     * no bigger than what the budget could hold, it is scanned instead (~500k rows/s, every type at once).
     */
    Map<String, GrantedWorkers> loadGranted(String endpoint, Collection<String> types, GrantedWorkers.Budget budget,
                                            BooleanSupplier stop) {
        if (types.isEmpty()) {
            return Map.of();
        }
        // in a transaction, so that PostgreSQL streams the rows with a cursor (fetch size) instead of all at once
        return someTransaction.execute(status -> {
            boolean scan = !postgres && GrantedWorkers.bytesFor(tableRows(), 0) <= budget.left();
            List<Object> args = new ArrayList<>(types.size() + 1);
            args.add(endpoint);
            args.addAll(types);
            if (!postgres) {
                jdbc.execute("SET LAZY_QUERY_EXECUTION TRUE"); // else H2 first copies the whole result to a temporary file
            }
            ResultSetExtractor<Map<String, GrantedWorkers>> read = rs -> readGranted(rs, budget, stop);
            try {
                return streaming.query("SELECT QUALIFICATION_TYPE_ID, WORKER_ID, INTEGER_VALUE, JOB_EXECUTION_ID, GRANTED_AT, SOURCE"
                        + " FROM GRANTER_LEDGER" + (scan ? " USE INDEX ()" : "")
                        + " WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID IN (" + "?, ".repeat(types.size() - 1) + "?)"
                        + " AND INTEGER_VALUE IS NOT NULL AND PENDING_VALUE IS NULL",
                        read, args.toArray());
            } finally {
                if (!postgres) {
                    jdbc.execute("SET LAZY_QUERY_EXECUTION FALSE");
                }
            }
        });
    }

    private static Map<String, GrantedWorkers> readGranted(ResultSet rs, GrantedWorkers.Budget budget, BooleanSupplier stop)
            throws SQLException {
        Map<String, GrantedWorkers> loaded = new HashMap<>();
        String lastType = null;
        GrantedWorkers granted = null;
        while (rs.next()) {
            String type = rs.getString(1);
            if (!type.equals(lastType)) { // (rows come mostly grouped by type: no hash of the type per row)
                lastType = type;
                granted = loaded.computeIfAbsent(type, t -> new GrantedWorkers(budget));
            }
            if (stop.getAsBoolean() || !granted.add(rs.getString(2), rs.getInt(3), rs.getObject(4, Long.class),
                    rs.getObject(5, LocalDateTime.class), SERVICE.equals(rs.getString(6)))) {
                return Map.of();
            }
        }
        return loaded;
    }

    private long tableRows() {
        Long rows = jdbc.queryForObject("SELECT COUNT(*) FROM GRANTER_LEDGER", Long.class);
        return rows == null ? 0 : rows;
    }

    /** The entries for these requests' pairs (absent pairs are not in the map). */
    public Map<Key, Entry> find(String endpoint, Collection<GrantRequest> requests) {
        Map<String, List<String>> workersByType = new LinkedHashMap<>();
        for (GrantRequest request : requests) {
            workersByType.computeIfAbsent(request.qualificationTypeId(), t -> new ArrayList<>()).add(request.workerId());
        }
        Map<Key, Entry> found = new HashMap<>();
        workersByType.forEach((type, workers) -> {
            RowCallbackHandler collect = rs -> found.put(new Key(type, rs.getString(1)), new Entry(
                    (Integer) rs.getObject(2, Integer.class), (Long) rs.getObject(3, Long.class),
                    rs.getObject(4, LocalDateTime.class), (Integer) rs.getObject(5, Integer.class),
                    (Long) rs.getObject(6, Long.class), SERVICE.equals(rs.getString(7))));
            if (postgres) {
                jdbc.query("SELECT WORKER_ID, INTEGER_VALUE, JOB_EXECUTION_ID, GRANTED_AT, PENDING_VALUE, PENDING_EXECUTION_ID, SOURCE"
                        + " FROM GRANTER_LEDGER WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID = ? AND WORKER_ID = ANY (?)", statement -> {
                            statement.setString(1, endpoint);
                            statement.setString(2, type);
                            statement.setArray(3, statement.getConnection().createArrayOf("varchar", workers.toArray()));
                        }, collect);
                return;
            }
            for (int from = 0; from < workers.size(); from += MAX_IN_LIST) {
                List<String> part = workers.subList(from, Math.min(workers.size(), from + MAX_IN_LIST));
                List<Object> args = new ArrayList<>(3 * part.size());
                for (String worker : part) {
                    args.add(endpoint);
                    args.add(type);
                    args.add(worker);
                }
                jdbc.query("SELECT WORKER_ID, INTEGER_VALUE, JOB_EXECUTION_ID, GRANTED_AT, PENDING_VALUE, PENDING_EXECUTION_ID, SOURCE"
                        + " FROM GRANTER_LEDGER WHERE (ENDPOINT, QUALIFICATION_TYPE_ID, WORKER_ID) IN ("
                        + "(?, ?, ?),".repeat(part.size() - 1) + "(?, ?, ?))", collect, args.toArray());
            }
        });
        return found;
    }

    /**
     * Marks these pairs pending for this execution whatever they hold, in a transaction of its own (a
     * crash's traces, for tests and tools; the grant writer claims with {@link #claim}).
     */
    public void markPending(String endpoint, List<GrantRequest> requests, long jobExecutionId) {
        if (requests.isEmpty()) {
            return;
        }
        ownTransaction.executeWithoutResult(status -> upsert(endpoint, requests,
                "UPDATE GRANTER_LEDGER SET PENDING_VALUE = ?, PENDING_EXECUTION_ID = ?, PENDING_SINCE = LOCALTIMESTAMP"
                        + " WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID = ? AND WORKER_ID = ?",
                "INSERT INTO GRANTER_LEDGER (PENDING_VALUE, PENDING_EXECUTION_ID, PENDING_SINCE, ENDPOINT,"
                        + " QUALIFICATION_TYPE_ID, WORKER_ID) VALUES (?, ?, LOCALTIMESTAMP, ?, ?, ?)",
                jobExecutionId));
    }

    /**
     * Claims these pairs for this execution's calls, in a transaction of its own committed before
     * returning, and returns the pairs it now holds. A pair is claimed only when the ledger still holds
     * what its row was settled against (compare and set): nobody else claimed it since (a claim by this
     * execution, or by the dead owner the row was checked against, may be taken), and nobody granted it
     * since. So two runs that want the same pair at the same moment never both call for it: the one
     * whose claim commits first holds it, and the other finds it held.
     */
    public Set<Key> claim(String endpoint, List<Claim> claims, long jobExecutionId) {
        if (claims.isEmpty()) {
            return Set.of();
        }
        return ownTransaction.execute(status -> {
            List<Object[]> updates = new ArrayList<>();
            List<Object[]> inserts = new ArrayList<>();
            for (Claim claim : claims) {
                GrantRequest r = claim.request();
                if (claim.seen() == null) {
                    inserts.add(new Object[] {r.integerValue(), jobExecutionId, endpoint, r.qualificationTypeId(), r.workerId()});
                } else {
                    updates.add(new Object[] {r.integerValue(), jobExecutionId, endpoint, r.qualificationTypeId(), r.workerId(),
                            orNone(claim.seen().pendingBy()), jobExecutionId, orNone(claim.seen().grantedBy())});
                }
            }
            if (!updates.isEmpty()) {
                jdbc.batchUpdate("UPDATE GRANTER_LEDGER SET PENDING_VALUE = ?, PENDING_EXECUTION_ID = ?,"
                        + " PENDING_SINCE = LOCALTIMESTAMP WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID = ? AND WORKER_ID = ?"
                        + " AND COALESCE(PENDING_EXECUTION_ID, -1) IN (?, ?) AND COALESCE(JOB_EXECUTION_ID, -1) = ?", updates);
            }
            if (!inserts.isEmpty()) {
                String insert = "INSERT INTO GRANTER_LEDGER (PENDING_VALUE, PENDING_EXECUTION_ID, PENDING_SINCE, ENDPOINT,"
                        + " QUALIFICATION_TYPE_ID, WORKER_ID) VALUES (?, ?, LOCALTIMESTAMP, ?, ?, ?)";
                try {
                    jdbc.batchUpdate(postgres ? insert + " ON CONFLICT DO NOTHING" : insert, inserts);
                } catch (DuplicateKeyException e) {
                    // (H2) another connection inserted the pair meanwhile: not ours, as the check below says
                }
            }
            Map<Key, Entry> now = find(endpoint, claims.stream().map(Claim::request).toList());
            Set<Key> held = new HashSet<>();
            for (Claim claim : claims) {
                Entry entry = now.get(Key.of(claim.request()));
                if (entry != null && Objects.equals(entry.pendingBy(), jobExecutionId)
                        && Objects.equals(entry.pendingValue(), claim.request().integerValue())) {
                    held.add(Key.of(claim.request()));
                }
            }
            return held;
        });
    }

    private static long orNone(Long id) {
        return id == null ? -1 : id;
    }

    /**
     * Records these grants as done (in the caller's transaction: the chunk's). The pair's pending mark is
     * cleared when it is this execution's claim or was for the value granted; another run's claim for
     * another value stays (that run is sending it).
     */
    public void recordGranted(String endpoint, List<GrantRequest> requests, long jobExecutionId) {
        if (requests.isEmpty()) {
            return;
        }
        String mine = "(PENDING_EXECUTION_ID = ? OR PENDING_VALUE = ?)";
        List<Object[]> rows = requests.stream().map(r -> new Object[] {r.integerValue(), jobExecutionId,
                jobExecutionId, r.integerValue(), jobExecutionId, r.integerValue(), jobExecutionId, r.integerValue(),
                endpoint, r.qualificationTypeId(), r.workerId()}).toList();
        int[] updated = jdbc.batchUpdate("UPDATE GRANTER_LEDGER SET INTEGER_VALUE = ?, JOB_EXECUTION_ID = ?,"
                + " GRANTED_AT = LOCALTIMESTAMP, SOURCE = NULL,"
                + " PENDING_VALUE = CASE WHEN " + mine + " THEN NULL ELSE PENDING_VALUE END,"
                + " PENDING_SINCE = CASE WHEN " + mine + " THEN NULL ELSE PENDING_SINCE END,"
                + " PENDING_EXECUTION_ID = CASE WHEN " + mine + " THEN NULL ELSE PENDING_EXECUTION_ID END"
                + " WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID = ? AND WORKER_ID = ?", rows);
        List<Object[]> missing = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (updated[i] == 0) {
                GrantRequest r = requests.get(i);
                missing.add(new Object[] {r.integerValue(), jobExecutionId, endpoint, r.qualificationTypeId(), r.workerId()});
            }
        }
        if (!missing.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO GRANTER_LEDGER (INTEGER_VALUE, JOB_EXECUTION_ID, GRANTED_AT, ENDPOINT,"
                    + " QUALIFICATION_TYPE_ID, WORKER_ID) VALUES (?, ?, LOCALTIMESTAMP, ?, ?, ?)", missing);
        }
    }

    /**
     * Records what the service says these workers hold for the type (a page of its holders), in the
     * caller's transaction: a pair the ledger does not know, or knows with another value, becomes granted
     * with the service's value, {@code SOURCE = 'SERVICE'}, by this execution; a pair with a call pending
     * is left alone (its claim decides). Returns how many pairs changed.
     */
    public int recordHolders(String endpoint, String qualificationTypeId, Map<String, Integer> holders, long jobExecutionId) {
        if (holders.isEmpty()) {
            return 0;
        }
        List<GrantRequest> pairs = holders.entrySet().stream()
                .map(h -> new GrantRequest(h.getKey(), qualificationTypeId, h.getValue(), false)).toList();
        Map<Key, Entry> known = find(endpoint, pairs);
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (GrantRequest pair : pairs) {
            Entry entry = known.get(Key.of(pair));
            Object[] row = {pair.integerValue(), jobExecutionId, endpoint, qualificationTypeId, pair.workerId()};
            if (entry == null) {
                inserts.add(row);
            } else if (entry.pendingValue() == null && !Objects.equals(entry.grantedValue(), pair.integerValue())) {
                updates.add(row);
            }
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate("UPDATE GRANTER_LEDGER SET INTEGER_VALUE = ?, JOB_EXECUTION_ID = ?, GRANTED_AT = LOCALTIMESTAMP,"
                    + " SOURCE = '" + SERVICE + "' WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID = ? AND WORKER_ID = ?"
                    + " AND PENDING_VALUE IS NULL", updates);
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO GRANTER_LEDGER (INTEGER_VALUE, JOB_EXECUTION_ID, GRANTED_AT, SOURCE, ENDPOINT,"
                    + " QUALIFICATION_TYPE_ID, WORKER_ID) VALUES (?, ?, LOCALTIMESTAMP, '" + SERVICE + "', ?, ?, ?)"
                    + (postgres ? " ON CONFLICT DO NOTHING" : ""), inserts);
        }
        return updates.size() + inserts.size();
    }

    /** Forgets this execution's claims on these pairs: the service refused the calls (in the caller's transaction). */
    public void clearPending(String endpoint, List<GrantRequest> requests, long jobExecutionId) {
        if (requests.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE GRANTER_LEDGER SET PENDING_VALUE = NULL, PENDING_EXECUTION_ID = NULL,"
                        + " PENDING_SINCE = NULL WHERE ENDPOINT = ? AND QUALIFICATION_TYPE_ID = ? AND WORKER_ID = ?"
                        + " AND PENDING_EXECUTION_ID = ?",
                requests.stream().map(r -> new Object[] {endpoint, r.qualificationTypeId(), r.workerId(), jobExecutionId})
                        .toList());
    }

    /** UPDATE every pair, then INSERT the pairs the update did not find. Both statements take (value, execution, key...). */
    private void upsert(String endpoint, List<GrantRequest> requests, String update, String insert, long jobExecutionId) {
        if (requests.isEmpty()) {
            return;
        }
        List<Object[]> rows = requests.stream().map(r -> new Object[] {r.integerValue(), jobExecutionId, endpoint,
                r.qualificationTypeId(), r.workerId()}).toList();
        int[] updated = jdbc.batchUpdate(update, rows);
        List<Object[]> missing = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (updated[i] == 0) {
                missing.add(rows.get(i));
            }
        }
        if (!missing.isEmpty()) {
            jdbc.batchUpdate(insert, missing);
        }
    }
}
