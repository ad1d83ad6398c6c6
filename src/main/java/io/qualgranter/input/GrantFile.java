package io.qualgranter.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;

/**
 * Streams the data rows of one CSV or TSV input file, one {@link GrantRow} at a time, never holding
 * more than one record in memory. Open it, call {@link #next()} until it answers null, close it.
 */
public final class GrantFile implements RowSource {

    private final String name;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> headerCells;
    private final HeaderMapping header;

    /** One record's cells and the line where it starts (for formats built on CSV, such as {@link WorkerFile}). */
    record Cells(long line, List<String> cells) {
    }

    private GrantFile(Path path, CSVParser parser) {
        this.name = path.getFileName().toString();
        this.parser = parser;
        this.records = parser.iterator();
        this.headerCells = readHeader();
        this.header = HeaderMapping.of(name, headerCells);
    }

    /** Opens the file and reads its header row; throws {@link InputFileException} when it cannot be used. */
    public static GrantFile open(Path path) {
        checkReadable(path);
        try {
            InputStream in = BOMInputStream.builder().setInputStream(Files.newInputStream(path)).get();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
            CSVParser parser = formatFor(path).parse(reader);
            try {
                return new GrantFile(path, parser);
            } catch (RuntimeException e) {
                parser.close();
                throw e;
            }
        } catch (IOException e) {
            throw new InputFileException(path + ": cannot be read: " + e.getMessage(), e);
        }
    }

    public HeaderMapping header() {
        return header;
    }

    @Override
    public boolean has(Column column) {
        return header.has(column);
    }

    /** The header row's cells as written. */
    List<String> headerCells() {
        return headerCells;
    }

    /** The next record's raw cells, or null at the end of the file. */
    Cells nextCells() {
        CSVRecord record = nextRecord();
        if (record == null) {
            return null;
        }
        List<String> cells = record.toList();
        return new Cells(startLine(cells), cells);
    }

    String name() {
        return name;
    }

    /** The next data row, or null at the end of the file. */
    public GrantRow next() {
        CSVRecord record = nextRecord();
        if (record == null) {
            return null;
        }
        List<String> cells = record.toList();
        return new GrantRow(startLine(cells),
                header.cell(cells, Column.WORKER),
                header.cell(cells, Column.TYPE),
                header.cell(cells, Column.VALUE),
                header.cell(cells, Column.NOTIFY));
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> readHeader() {
        CSVRecord first = nextRecord();
        if (first == null) {
            throw new InputFileException(name + ": the file is empty: expected a header row such as "
                    + "WorkerId,QualificationTypeId,IntegerValue");
        }
        return first.toList();
    }

    private CSVRecord nextRecord() {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            throw unreadable(e.getCause());
        } catch (IllegalStateException e) {
            throw new InputFileException(name + ": line " + (parser.getCurrentLineNumber() + 1)
                    + ": the CSV cannot be parsed: " + e.getMessage(), e);
        }
    }

    private InputFileException unreadable(Throwable cause) {
        String line = name + ": line " + (parser.getCurrentLineNumber() + 1) + ": ";
        if (cause instanceof CharacterCodingException) {
            return new InputFileException(line + "the file is not UTF-8 text (save it as CSV UTF-8)", cause);
        }
        String message = cause == null ? "unknown error" : cause.getMessage();
        return new InputFileException(line + "the CSV cannot be parsed: " + message, cause);
    }

    /** The parser reports where a record ends; a quoted value with line breaks started earlier. */
    private long startLine(List<String> cells) {
        long breaks = 0;
        for (String cell : cells) {
            for (int i = 0; i < cell.length(); i++) {
                char c = cell.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == cell.length() || cell.charAt(i + 1) != '\n'))) {
                    breaks++;
                }
            }
        }
        return parser.getCurrentLineNumber() - breaks;
    }

    private static CSVFormat formatFor(Path path) {
        CSVFormat base = path.getFileName().toString().toLowerCase().endsWith(".tsv") ? CSVFormat.TDF : CSVFormat.DEFAULT;
        return base.builder().setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(false).setTrim(false).get();
    }

    private static void checkReadable(Path path) {
        if (!Files.exists(path)) {
            throw new InputFileException(path + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw new InputFileException(path + ": is a directory, not a CSV file");
        }
        if (!Files.isReadable(path)) {
            throw new InputFileException(path + ": permission denied (cannot read the file)");
        }
    }
}
