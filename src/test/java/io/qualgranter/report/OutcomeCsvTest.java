package io.qualgranter.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;

import io.qualgranter.row.Outcome;
import io.qualgranter.row.RowOutcome;
import io.qualgranter.testsupport.SeededTries;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The hand-written journal line reads back, through Commons CSV, as the report-ready cells it was given. */
class OutcomeCsvTest {

    @Test
    void journalLinesReadBackCellForCell() {
        SeededTries.run(500, random -> {
            String worker = random.string(12, ",\" \t\n\r=+-@'abc");
            String value = random.string(12, ",\" =012");
            String detail = random.string(20, ",\" \n-@xyz");
            RowOutcome row = new RowOutcome(42, worker, "3TYPE", value, Outcome.INVALID, detail);

            List<CSVRecord> records = OutcomeCsv.FORMAT.parse(new StringReader(OutcomeCsv.toLine(row) + "\n")).getRecords();

            assertThat(records).hasSize(1);
            assertThat(records.get(0).toList()).containsExactly("42", SpreadsheetSafe.cell(worker), "3TYPE",
                    SpreadsheetSafe.number(value), "INVALID", SpreadsheetSafe.cell(row.detail()));
            RowOutcome back = OutcomeCsv.fromRecord(records.get(0));
            assertThat(OutcomeCsv.toLine(back)).as("escaping is idempotent").isEqualTo(OutcomeCsv.toLine(row));
        });
    }
}
