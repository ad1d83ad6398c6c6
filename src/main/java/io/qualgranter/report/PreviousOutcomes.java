package io.qualgranter.report;

import io.qualgranter.row.RowOutcome;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The outcomes an earlier execution committed, read forward in line order alongside the input.
 * Only the committed part of that journal is read (its checkpointed byte length), so a chunk that
 * was written but not committed before a crash is ignored.
 */
public final class PreviousOutcomes implements AutoCloseable {

    /** Where an earlier execution's journal is and how much of it was committed. */
    public record Source(Path journal, long committedBytes) {
    }

    private static final PreviousOutcomes NONE = new PreviousOutcomes(null);

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private RowOutcome next;

    private PreviousOutcomes(CSVParser parser) {
        this.parser = parser;
        this.records = parser == null ? null : parser.iterator();
    }

    public static PreviousOutcomes none() {
        return NONE;
    }

    public static PreviousOutcomes open(Source source) {
        if (source == null || !Files.exists(source.journal())) {
            return NONE;
        }
        try {
            InputStream in = BoundedInputStream.builder().setPath(source.journal())
                    .setMaxCount(source.committedBytes()).get();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            return new PreviousOutcomes(OutcomeCsv.FORMAT.parse(reader));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outcome journal " + source.journal(), e);
        }
    }

    /** The committed outcome of the given input line, or null; lines must be asked for in increasing order. */
    public RowOutcome at(long line) {
        while (records != null && (next == null || next.line() < line) && records.hasNext()) {
            next = OutcomeCsv.fromRecord(records.next());
        }
        return next != null && next.line() == line ? next : null;
    }

    /**
     * The committed outcome of the given input line and type, or null; asked for in increasing line
     * order. A line of the website's worker file has one outcome per type, in column order.
     */
    public RowOutcome at(long line, String qualificationTypeId) {
        RowOutcome candidate = at(line);
        while (candidate != null && !qualificationTypeId.equals(candidate.qualificationTypeId()) && records.hasNext()) {
            next = OutcomeCsv.fromRecord(records.next());
            candidate = next.line() == line ? next : null;
        }
        return candidate != null && qualificationTypeId.equals(candidate.qualificationTypeId()) ? candidate : null;
    }

    /** The next committed outcome in journal order, or null at the end. */
    public RowOutcome next() {
        return records != null && records.hasNext() ? OutcomeCsv.fromRecord(records.next()) : null;
    }

    @Override
    public void close() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
