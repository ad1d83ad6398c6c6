package io.qualgranter.row;

/** One row of the report: {@code line,worker_id,qualification_type_id,integer_value,outcome,detail}. */
public record RowOutcome(long line, String workerId, String qualificationTypeId, String integerValue,
                         Outcome outcome, String detail) {

    /** The longest detail a report keeps; a longer one is cut to this length, ending in "...". */
    public static final int MAX_DETAIL = 500;

    public RowOutcome {
        detail = oneLine(detail);
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').strip();
        return flat.length() > MAX_DETAIL ? flat.substring(0, MAX_DETAIL - 3) + "..." : flat;
    }
}
