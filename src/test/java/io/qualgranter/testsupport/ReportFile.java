package io.qualgranter.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** A report CSV as a test reads it: its header, and each row by input line. */
public record ReportFile(List<String> header, Map<Long, CSVRecord> rowsByLine) {

    public static ReportFile read(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            List<CSVRecord> records = CSVFormat.DEFAULT.parse(in).getRecords();
            Map<Long, CSVRecord> byLine = new TreeMap<>();
            for (CSVRecord record : records.subList(1, records.size())) {
                if (byLine.put(Long.parseLong(record.get(0)), record) != null) {
                    throw new AssertionError("line " + record.get(0) + " appears twice in " + file);
                }
            }
            return new ReportFile(records.get(0).toList(), byLine);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every row of a report in file order, header left out: for reports where one input line gives
     * several rows (the website's worker file), which {@link #read} refuses.
     */
    public static List<CSVRecord> rows(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            List<CSVRecord> records = CSVFormat.DEFAULT.parse(in).getRecords();
            return records.subList(1, records.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String outcome(long line) {
        return row(line).get(4);
    }

    public String detail(long line) {
        return row(line).get(5);
    }

    public Map<Long, String> outcomes() {
        Map<Long, String> outcomes = new TreeMap<>();
        rowsByLine.forEach((line, record) -> outcomes.put(line, record.get(4)));
        return outcomes;
    }

    private CSVRecord row(long line) {
        CSVRecord record = rowsByLine.get(line);
        if (record == null) {
            throw new AssertionError("no report row for line " + line);
        }
        return record;
    }
}
