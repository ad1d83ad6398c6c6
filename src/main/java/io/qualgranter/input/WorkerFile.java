package io.qualgranter.input;

import io.qualgranter.row.GrantRow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The worker CSV of the MTurk Requester website (Manage → Workers → Download CSV): a {@code Worker ID}
 * column and, per qualification type, {@code CURRENT-<name>} and {@code UPDATE-<name>} columns. Each
 * filled {@code UPDATE-} cell is one grant of that type (its id resolved by name among the caller's
 * types), so one line can give several rows, all with that line's number, in column order. Empty cells
 * are nothing; {@code Revoke} cells are rows with a problem, since this job only grants.
 */
public final class WorkerFile implements RowSource {

    static final String UPDATE_PREFIX = "update-";
    /**
     * The type id of a grant whose name is not resolved yet: the validate step runs before the preflight
     * (which resolves names, or stops the run when one does not resolve), so it checks the rest of the row
     * with this well-formed stand-in. It is never sent nor reported.
     */
    public static final String NAME_NOT_RESOLVED_YET = "0";
    static final String REVOKE_PROBLEM = "Revoke: this job only grants qualifications (revoke on the Requester "
            + "website or with aws mturk disassociate-qualification-from-worker)";

    private record UpdateColumn(int position, String name) {
    }

    private final GrantFile csv;
    private final Map<String, String> typeIdsByName; // null: not resolved yet
    private final List<UpdateColumn> updates = new ArrayList<>();
    private final Deque<GrantRow> pending = new ArrayDeque<>();
    private final Set<String> namesSeen = new LinkedHashSet<>();

    WorkerFile(GrantFile csv, Map<String, String> typeIdsByName) {
        this.csv = csv;
        this.typeIdsByName = typeIdsByName;
        List<String> header = csv.headerCells();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = updateName(header.get(i));
            if (name == null) {
                continue;
            }
            if (name.isEmpty()) {
                throw new InputFileException(csv.name() + ": line 1: column " + (i + 1) + " is \"" + header.get(i)
                        + "\" without a qualification name");
            }
            if (!names.add(name)) {
                throw new InputFileException(csv.name() + ": line 1: the header has the column UPDATE-" + name + " twice");
            }
            updates.add(new UpdateColumn(i, name));
        }
    }

    /** Whether a CSV file is the website's worker file: its header has UPDATE-&lt;name&gt; columns. */
    static boolean isWorkerFile(GrantFile csv) {
        return csv.headerCells().stream().anyMatch(cell -> {
            String name = updateName(cell);
            return name != null;
        });
    }

    @Override
    public GrantRow next() {
        while (pending.isEmpty()) {
            GrantFile.Cells record = csv.nextCells();
            if (record == null) {
                return null;
            }
            split(record);
        }
        return pending.poll();
    }

    private void split(GrantFile.Cells record) {
        String worker = csv.header().cell(record.cells(), Column.WORKER);
        for (UpdateColumn column : updates) {
            String cell = column.position() < record.cells().size() ? record.cells().get(column.position()) : null;
            if (cell == null || cell.isBlank()) {
                continue;
            }
            String typeId = typeIdsByName == null ? NAME_NOT_RESOLVED_YET : typeIdsByName.get(column.name());
            String shownType = typeId != null ? typeId : column.name();
            if (cell.strip().equalsIgnoreCase("revoke")) {
                pending.add(new GrantRow(record.line(), worker, shownType, cell, null, REVOKE_PROBLEM));
                continue;
            }
            namesSeen.add(column.name());
            String problem = typeId != null ? null
                    : "no qualification type named \"" + column.name() + "\" among the caller's own types";
            pending.add(new GrantRow(record.line(), worker, shownType, cell, null, problem));
        }
    }

    @Override
    public boolean typesByName() {
        return true;
    }

    @Override
    public boolean has(Column column) {
        return column == Column.TYPE || column == Column.VALUE || csv.has(column);
    }

    /** The names of the UPDATE- columns that had a grant (a filled cell other than Revoke) in the lines read so far. */
    @Override
    public Set<String> qualificationNames() {
        return Set.copyOf(namesSeen);
    }

    @Override
    public void close() {
        csv.close();
    }

    /** The qualification name of an UPDATE-&lt;name&gt; header cell, or null for any other column. */
    private static String updateName(String headerCell) {
        String cell = headerCell.replace("\uFEFF", "").strip();
        return cell.toLowerCase(Locale.ROOT).startsWith(UPDATE_PREFIX) ? cell.substring(UPDATE_PREFIX.length()).strip() : null;
    }
}
