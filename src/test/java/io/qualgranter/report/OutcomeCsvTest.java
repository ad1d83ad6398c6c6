package io.qualgranter.report;

import io.qualgranter.row.Outcome;

import io.qualgranter.row.RowOutcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.apache.commons.csv.CSVRecord;

/** The hand-written journal line reads back, through Commons CSV, as the report-ready cells it was given. */
class OutcomeCsvTest {

    @Property(tries = 500)
    void journalLinesReadBackCellForCell(
            @ForAll @StringLength(max = 12) @Chars({',', '"', ' ', '\t', '\n', '\r', '=', '+', '-', '@', '\''})
            @CharRange(from = 'a', to = 'c') String worker,
            @ForAll @StringLength(max = 12) @Chars({',', '"', ' ', '='}) @CharRange(from = '0', to = '2') String value,
            @ForAll @StringLength(max = 20) @Chars({',', '"', ' ', '\n', '-', '@'}) @CharRange(from = 'x', to = 'z') String detail)
            throws IOException {
        RowOutcome row = new RowOutcome(42, worker, "3TYPE", value, Outcome.INVALID, detail);

        List<CSVRecord> records = OutcomeCsv.FORMAT.parse(new StringReader(OutcomeCsv.toLine(row) + "\n")).getRecords();

        assertThat(records).hasSize(1);
        assertThat(records.get(0).toList()).containsExactly("42", SpreadsheetSafe.cell(worker), "3TYPE",
                SpreadsheetSafe.number(value), "INVALID", SpreadsheetSafe.cell(row.detail()));
        RowOutcome back = OutcomeCsv.fromRecord(records.get(0));
        assertThat(OutcomeCsv.toLine(back)).as("escaping is idempotent").isEqualTo(OutcomeCsv.toLine(row));
    }
}
