package io.qualgranter.report;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.GrantRow;
import io.qualgranter.row.Outcome;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.row.OutcomeCursor;
import io.qualgranter.row.RowOutcome;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A run's per-row state in the job repository (tables {@code GRANTER_OUTCOME_BLOCK} and
 * {@code GRANTER_RUN_ROW}, see db/granter-schema.sql), written in the transaction of the chunk that
 * produced it, so that it commits with the chunk's checkpoint. The plan step writes one block per
 * chunk (the settled rows' report lines, deflated; a placeholder for each row that needs a call,
 * which also becomes a {@code GRANTER_RUN_ROW}); the grant step records the outcomes of those rows.
 * The run's outcomes, in input order, are the blocks with their placeholders filled in.
 */
public class RunOutcomes {

    /** One row that needs a call, with its index among the input's rows. */
    public record Queued(long item, PlannedRow row) {
    }

    /** A block's report lines, in input order, and how many of them are placeholders. */
    public record Block(long firstItem, int itemCount, int queuedCount, Map<Outcome, Long> counts, byte[] lines) {
    }

    private static final int PAGE = 1000;

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    /** @param postgres the job repository is PostgreSQL (the plan step's chunks then commit asynchronously) */
    public RunOutcomes(JdbcTemplate jdbc, boolean postgres) {
        this.jdbc = jdbc;
        this.postgres = postgres;
    }

    /** How many of the input's rows the run has planned (committed blocks): where planning resumes. */
    public long plannedItems(long jobInstanceId) {
        Long n = jdbc.queryForObject("SELECT COALESCE(SUM(ITEM_COUNT), 0) FROM GRANTER_OUTCOME_BLOCK WHERE JOB_INSTANCE_ID = ?",
                Long.class, jobInstanceId);
        return n == null ? 0 : n;
    }

    /**
     * Writes a chunk of planned rows, the first being row {@code firstItem} of the input (caller's
     * transaction: the plan step's chunk).
     *
     * <p>On PostgreSQL that transaction commits without waiting for its WAL to reach the disk
     * ({@code synchronous_commit} off for it alone). The plan step makes no call, so a crash of the
     * database server can lose only chunks that are planned again: their checkpoint is lost with them, and
     * the server never keeps a later transaction without the earlier ones. The first synchronous commit
     * after them (Spring Batch's end of the step, before any call) makes them durable.
     */
    public void writeBlock(long jobInstanceId, long jobExecutionId, long firstItem, List<? extends PlannedRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (postgres) {
            jdbc.execute("SET LOCAL synchronous_commit TO OFF");
        }
        long[] counts = new long[Outcome.values().length]; // by ordinal: no boxing per row
        List<Object[]> queued = new ArrayList<>();
        long item = firstItem;
        for (PlannedRow row : rows) {
            if (row.needsCall()) {
                GrantRequest r = row.request();
                queued.add(new Object[] {jobInstanceId, item, row.row().line(), r.workerId(), r.qualificationTypeId(),
                        r.integerValue(), r.sendNotification(), clip(row.detail())});
            } else {
                counts[row.outcome().ordinal()]++;
            }
            item++;
        }
        byte[] body = BlockBody.of(rows);
        jdbc.update("INSERT INTO GRANTER_OUTCOME_BLOCK (JOB_INSTANCE_ID, FIRST_ITEM, ITEM_COUNT, QUEUED_COUNT, OUTCOME_COUNTS,"
                        + " JOB_EXECUTION_ID, BODY) VALUES (?, ?, ?, ?, ?, ?, ?)",
                jobInstanceId, firstItem, rows.size(), queued.size(), encode(counts), jobExecutionId, body);
        if (!queued.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO GRANTER_RUN_ROW (JOB_INSTANCE_ID, ITEM, LINE, WORKER_ID, QUALIFICATION_TYPE_ID,"
                    + " INTEGER_VALUE, SEND_NOTIFICATION, NOTE) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", queued);
        }
    }

    /**
     * The rows that still need a call after {@code afterItem}, in input order, at most {@code limit}:
     * those with no outcome yet, and FAILED ones (tried again by every execution that reads them).
     */
    public List<Queued> toGrant(long jobInstanceId, long afterItem, int limit) {
        return jdbc.query("SELECT ITEM, LINE, WORKER_ID, QUALIFICATION_TYPE_ID, INTEGER_VALUE, SEND_NOTIFICATION, NOTE"
                        + " FROM GRANTER_RUN_ROW WHERE JOB_INSTANCE_ID = ? AND ITEM > ? AND (OUTCOME IS NULL OR OUTCOME = 'FAILED')"
                        + " ORDER BY ITEM LIMIT " + limit,
                (rs, i) -> {
                    String worker = rs.getString(3);
                    String type = rs.getString(4);
                    int value = rs.getInt(5);
                    boolean notify = rs.getBoolean(6);
                    GrantRow row = new GrantRow(rs.getLong(2), worker, type, Integer.toString(value), Boolean.toString(notify));
                    String note = rs.getString(7);
                    return new Queued(rs.getLong(1), PlannedRow.toSend(row, new GrantRequest(worker, type, value, notify),
                            note == null ? "" : note));
                }, jobInstanceId, afterItem);
    }

    /** Records the grant step's outcomes of these rows (caller's transaction: the chunk's). */
    public void record(long jobInstanceId, List<RowOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE GRANTER_RUN_ROW SET OUTCOME = ?, DETAIL = ?"
                        + " WHERE JOB_INSTANCE_ID = ? AND LINE = ? AND QUALIFICATION_TYPE_ID = ?",
                outcomes.stream().map(o -> new Object[] {o.outcome().name(), clip(o.detail()), jobInstanceId, o.line(),
                        o.qualificationTypeId()}).toList());
    }

    /** Per qualification type, how many of the run's rows still wait for their call (no outcome yet). */
    public Map<String, Long> waitingByType(long jobInstanceId) {
        Map<String, Long> waiting = new java.util.TreeMap<>();
        jdbc.query("SELECT QUALIFICATION_TYPE_ID, COUNT(*) FROM GRANTER_RUN_ROW WHERE JOB_INSTANCE_ID = ? AND OUTCOME IS NULL"
                + " GROUP BY QUALIFICATION_TYPE_ID", rs -> {
                    waiting.put(rs.getString(1), rs.getLong(2));
                }, jobInstanceId);
        return waiting;
    }

    /**
     * Settles the run's waiting rows of these workers for the type whose value is the one they hold:
     * ALREADY_GRANTED with {@code detail}, no call (caller's transaction). Returns how many rows.
     */
    public int settleHeld(long jobInstanceId, String qualificationTypeId, Map<String, Integer> holders, String detail) {
        if (holders.isEmpty()) {
            return 0;
        }
        int[] updated = jdbc.batchUpdate("UPDATE GRANTER_RUN_ROW SET OUTCOME = 'ALREADY_GRANTED', DETAIL = ?"
                        + " WHERE JOB_INSTANCE_ID = ? AND WORKER_ID = ? AND QUALIFICATION_TYPE_ID = ? AND INTEGER_VALUE = ?"
                        + " AND OUTCOME IS NULL",
                holders.entrySet().stream().map(h -> new Object[] {detail, jobInstanceId, h.getKey(), qualificationTypeId,
                        h.getValue()}).toList());
        int rows = 0;
        for (int n : updated) {
            rows += Math.max(n, 0);
        }
        return rows;
    }

    /** Whether the run granted any row (the pending-requests step: none, no listing); stops at the first. */
    public boolean anyGranted(long jobInstanceId) {
        return !jdbc.queryForList("SELECT ITEM FROM GRANTER_RUN_ROW WHERE JOB_INSTANCE_ID = ? AND OUTCOME = 'GRANTED' LIMIT 1",
                Long.class, jobInstanceId).isEmpty();
    }

    /** The granted rows of the run's calls, in input order (the pending-requests step). */
    public List<RowOutcome> granted(long jobInstanceId) {
        return jdbc.query("SELECT LINE, WORKER_ID, QUALIFICATION_TYPE_ID, INTEGER_VALUE, DETAIL FROM GRANTER_RUN_ROW"
                        + " WHERE JOB_INSTANCE_ID = ? AND OUTCOME = 'GRANTED' ORDER BY ITEM",
                (rs, i) -> new RowOutcome(rs.getLong(1), rs.getString(2), rs.getString(3), Integer.toString(rs.getInt(4)),
                        Outcome.GRANTED, rs.getString(5)), jobInstanceId);
    }

    /** The block that starts at or after {@code fromItem}, or null. */
    public Block blockFrom(long jobInstanceId, long fromItem) {
        List<Block> found = jdbc.query("SELECT FIRST_ITEM, ITEM_COUNT, QUEUED_COUNT, OUTCOME_COUNTS, BODY FROM GRANTER_OUTCOME_BLOCK"
                        + " WHERE JOB_INSTANCE_ID = ? AND FIRST_ITEM >= ? ORDER BY FIRST_ITEM LIMIT 1",
                (rs, i) -> new Block(rs.getLong(1), rs.getInt(2), rs.getInt(3), decode(rs.getString(4)), inflate(rs.getBytes(5))),
                jobInstanceId, fromItem);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The outcomes of the run's called rows in input order, a page at a time, from {@code afterItem} on. */
    List<Object[]> calledFrom(long jobInstanceId, long afterItem) {
        return jdbc.query("SELECT ITEM, LINE, WORKER_ID, QUALIFICATION_TYPE_ID, INTEGER_VALUE, OUTCOME, DETAIL FROM GRANTER_RUN_ROW"
                        + " WHERE JOB_INSTANCE_ID = ? AND ITEM > ? ORDER BY ITEM LIMIT " + PAGE,
                (rs, i) -> new Object[] {rs.getLong(1), new RowOutcome(rs.getLong(2), rs.getString(3), rs.getString(4),
                        Integer.toString(rs.getInt(5)), rs.getString(6) == null ? Outcome.FAILED : Outcome.valueOf(rs.getString(6)),
                        rs.getString(6) == null ? "not sent: the run ended before this row's call" : rs.getString(7))},
                jobInstanceId, afterItem);
    }

    /** Every outcome of the run in input order, parsed (the next attempt's carry-over, the pending step). */
    public OutcomeCursor read(long jobInstanceId) {
        return new ParsedOutcomes(new Lines(jobInstanceId));
    }

    /** The run's report lines in input order, placeholders filled in, with the outcome of each: the report. */
    public Lines lines(long jobInstanceId) {
        return new Lines(jobInstanceId);
    }

    /** Report lines in input order; {@link #next()} gives a line, {@link #outcome()} the outcome of a called row's line. */
    public final class Lines {

        private final long jobInstanceId;
        private long nextItem;
        private BufferedReader block;
        private final ArrayDeque<Object[]> called = new ArrayDeque<>();
        private long lastCalledItem = -1;
        private boolean calledExhausted;
        private RowOutcome lastCalled;
        private final EnumMap<Outcome, Long> settledCounts = new EnumMap<>(Outcome.class);

        Lines(long jobInstanceId) {
            this.jobInstanceId = jobInstanceId;
        }

        /** The next report line (without line separator), or null at the end. */
        public String next() {
            lastCalled = null;
            try {
                while (true) {
                    if (block != null) {
                        String line = block.readLine();
                        if (line != null) {
                            if (line.endsWith(",,,,,") && isPlaceholder(line)) {
                                lastCalled = nextCalled();
                                return OutcomeCsv.toLine(lastCalled);
                            }
                            return line;
                        }
                        block = null;
                    }
                    Block b = blockFrom(jobInstanceId, nextItem);
                    if (b == null) {
                        return null;
                    }
                    nextItem = b.firstItem() + b.itemCount();
                    b.counts().forEach((o, n) -> settledCounts.merge(o, n, Long::sum));
                    block = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(b.lines()),
                            StandardCharsets.UTF_8), 1 << 16);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next whole block (lines and counts) when it has no placeholder, to copy as is; else null. */
        public Block plainBlockOrNull() {
            if (block != null) {
                return null;
            }
            Block b = blockFrom(jobInstanceId, nextItem);
            if (b == null || b.queuedCount() > 0) {
                return null;
            }
            nextItem = b.firstItem() + b.itemCount();
            return b;
        }

        /** The outcomes of the settled lines of the blocks {@link #next()} has read (not those of plain blocks). */
        public Map<Outcome, Long> blockCountsOfSettledLines() {
            return settledCounts;
        }

        /** The outcome of the line {@link #next()} just gave when it was a called row's, else null. */
        public RowOutcome called() {
            return lastCalled;
        }

        private RowOutcome nextCalled() {
            if (called.isEmpty() && !calledExhausted) {
                List<Object[]> page = calledFrom(jobInstanceId, lastCalledItem);
                calledExhausted = page.size() < PAGE;
                called.addAll(page);
                if (!page.isEmpty()) {
                    lastCalledItem = (Long) page.get(page.size() - 1)[0];
                }
            }
            Object[] next = called.poll();
            if (next == null) {
                throw new IllegalStateException("run " + jobInstanceId + ": a planned row has no row to call");
            }
            return (RowOutcome) next[1];
        }
    }

    private static boolean isPlaceholder(String line) {
        int end = line.length() - 5;
        if (end <= 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Parses report lines back into outcomes. */
    private static final class ParsedOutcomes implements OutcomeCursor {
        private final Lines lines;

        ParsedOutcomes(Lines lines) {
            this.lines = lines;
        }

        @Override
        public RowOutcome next() {
            String line = lines.next();
            if (line == null) {
                return null;
            }
            if (lines.called() != null) {
                return lines.called();
            }
            try (CSVParser parser = OutcomeCsv.FORMAT.parse(new java.io.StringReader(line))) {
                CSVRecord record = parser.iterator().next();
                return OutcomeCsv.fromRecord(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
        }
    }

    private static byte[] inflate(byte[] deflated) {
        Inflater inflater = new Inflater();
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated), inflater, 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read an outcome block", e);
        } finally {
            inflater.end(); // an Inflater handed in is not ended by the stream's close
        }
    }

    /** "OUTCOME=n,..." in the order of Outcome, the outcomes with no row left out. */
    private static String encode(long[] counts) {
        StringBuilder text = new StringBuilder();
        for (Outcome o : Outcome.values()) {
            if (counts[o.ordinal()] > 0) {
                text.append(text.isEmpty() ? "" : ",").append(o.name()).append('=').append(counts[o.ordinal()]);
            }
        }
        return text.toString();
    }

    private static Map<Outcome, Long> decode(String text) {
        EnumMap<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        if (text != null && !text.isEmpty()) {
            for (String part : text.split(",")) {
                int eq = part.indexOf('=');
                counts.put(Outcome.valueOf(part.substring(0, eq)), Long.parseLong(part.substring(eq + 1)));
            }
        }
        return counts;
    }

    private static String clip(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
