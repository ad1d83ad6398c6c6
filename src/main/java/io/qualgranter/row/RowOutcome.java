package io.qualgranter.row;

/** One row of the report: {@code line,worker_id,qualification_type_id,integer_value,outcome,detail}. */
public record RowOutcome(long line, String workerId, String qualificationTypeId, String integerValue,
                         Outcome outcome, String detail) {

    public RowOutcome {
        detail = oneLine(detail);
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').strip();
        return flat.length() > 500 ? flat.substring(0, 497) + "..." : flat;
    }
}
