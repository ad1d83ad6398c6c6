package io.qualgranter.report;

import io.qualgranter.row.Outcome;

import io.qualgranter.row.RowOutcome;

import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The one CSV shape shared by the run's outcome blocks ({@link RunOutcomes}) and the report. Lines are
 * stored ready for the report (cells a spreadsheet would run as formulas already neutralised, which is
 * idempotent when a line is read back and written again), so most of the report is copied as stored.
 */
public final class OutcomeCsv {

    public static final List<String> COLUMNS =
            List.of("line", "worker_id", "qualification_type_id", "integer_value", "outcome", "detail");

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private OutcomeCsv() {
    }

    /** The report line of a row, without its line separator. Hand-written: it runs once per row. */
    public static String toLine(RowOutcome row) {
        StringBuilder out = new StringBuilder(96);
        out.append(row.line()).append(',');
        cell(out, SpreadsheetSafe.cell(row.workerId())).append(',');
        cell(out, SpreadsheetSafe.cell(row.qualificationTypeId())).append(',');
        cell(out, SpreadsheetSafe.number(row.integerValue())).append(',');
        out.append(row.outcome().name()).append(',');
        return cell(out, SpreadsheetSafe.cell(row.detail())).toString();
    }

    /** RFC 4180: quoted (quotes doubled) when it holds a comma, quote or line break, or starts or ends with blanks. */
    static StringBuilder cell(StringBuilder out, String value) {
        if (!needsQuotes(value)) {
            return out.append(value);
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c);
            if (c == '"') {
                out.append('"');
            }
        }
        return out.append('"');
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return false;
        }
        if (value.charAt(0) <= ' ' || value.charAt(value.length() - 1) <= ' ') {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    public static RowOutcome fromRecord(CSVRecord record) {
        return new RowOutcome(Long.parseLong(record.get(0)), record.get(1), record.get(2), record.get(3),
                Outcome.valueOf(record.get(4)), record.get(5));
    }
}
