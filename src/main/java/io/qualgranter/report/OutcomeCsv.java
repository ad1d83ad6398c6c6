package io.qualgranter.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The one CSV shape shared by the outcome journal and the report. */
public final class OutcomeCsv {

    public static final List<String> COLUMNS =
            List.of("line", "worker_id", "qualification_type_id", "integer_value", "outcome", "detail");

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private OutcomeCsv() {
    }

    public static String toLine(RowOutcome row) {
        try {
            StringBuilder out = new StringBuilder(96);
            FORMAT.printRecord(out, row.line(), nullToEmpty(row.workerId()), nullToEmpty(row.qualificationTypeId()),
                    nullToEmpty(row.integerValue()), row.outcome().name(), row.detail());
            out.setLength(out.length() - 1); // the journal writer adds the line separator
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RowOutcome fromRecord(CSVRecord record) {
        return new RowOutcome(Long.parseLong(record.get(0)), record.get(1), record.get(2), record.get(3),
                Outcome.valueOf(record.get(4)), record.get(5));
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
