package io.qualgranter.input;

import java.util.List;
import java.util.Locale;

/** The columns the job understands, with the header names accepted for each (see design.md, Input). */
public enum Column {
    WORKER("WorkerId", "worker-id", "worker_id", "worker", "Worker ID"),
    TYPE("QualificationTypeId", "qualification-type-id", "qualification_type_id", "type", "qualification"),
    VALUE("IntegerValue", "integer-value", "integer_value", "score", "value"),
    NOTIFY("SendNotification", "send-notification", "notify");

    private final List<String> aliases;
    private final String label;

    Column(String... aliases) {
        this.label = aliases[0];
        this.aliases = List.of(aliases).stream().map(Column::normalise).distinct().toList();
    }

    /** Header names match without regard to case, '-', '_' or spaces. */
    public static String normalise(String header) {
        StringBuilder out = new StringBuilder(header.length());
        for (char c : Whitespace.strip(header).toCharArray()) {
            if (c != '-' && c != '_' && !Whitespace.isSpace(c)) {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** The column's name as the messages say it: the first alias, e.g. WorkerId. */
    public String label() {
        return label;
    }

    public static Column forHeader(String header) {
        String key = normalise(header);
        for (Column column : values()) {
            if (column.aliases.contains(key)) {
                return column;
            }
        }
        return null;
    }
}
