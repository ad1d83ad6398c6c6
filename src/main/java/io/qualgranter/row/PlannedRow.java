package io.qualgranter.row;


/**
 * The processor's verdict on a row: either settled already ({@code outcome} set: INVALID,
 * DUPLICATE, carried over from an earlier execution...) or a {@code request} still to send.
 */
public record PlannedRow(GrantRow row, GrantRequest request, Outcome outcome, String detail) {

    public static final int MAX_CELL_SHOWN = 200;

    public static PlannedRow toSend(GrantRow row, GrantRequest request, String note) {
        return new PlannedRow(row, request, null, note);
    }

    public static PlannedRow settled(GrantRow row, GrantRequest request, Outcome outcome, String detail) {
        return new PlannedRow(row, request, outcome, detail);
    }

    public boolean needsCall() {
        return outcome == null;
    }

    /** The report row for this row with the given outcome (valid rows show the values as sent). */
    public RowOutcome settle(Outcome finalOutcome, String finalDetail) {
        if (request == null) {
            return new RowOutcome(row.line(), abbreviate(row.workerId()), abbreviate(row.qualificationTypeId()),
                    abbreviate(row.integerValue()), finalOutcome, finalDetail);
        }
        return new RowOutcome(row.line(), request.workerId(), request.qualificationTypeId(),
                Integer.toString(request.integerValue()), finalOutcome, finalDetail);
    }

    public RowOutcome settled() {
        return settle(outcome, detail);
    }

    /** An invalid row's cells go to the report as read, up to {@value #MAX_CELL_SHOWN} characters. */
    private static String abbreviate(String cell) {
        return cell == null || cell.length() <= MAX_CELL_SHOWN ? cell : cell.substring(0, MAX_CELL_SHOWN) + "...";
    }
}
