package io.qualgranter.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The field delimiter of an input file, taken from its header line: the one of comma, tab and
 * semicolon that splits the header into the most known column names; on a tie, tab for a
 * {@code .tsv} file and comma otherwise. So a tab-separated export named {@code .csv} and a
 * semicolon-separated one from a European spreadsheet both read as the user meant.
 */
public enum Delimiter {
    COMMA(',', "comma"),
    TAB('\t', "tab"),
    SEMICOLON(';', "semicolon");

    /** How far into the file the header line is looked for (a longer first line keeps the default). */
    static final int HEADER_SNIFF_CHARS = 1 << 20;

    private final char character;
    private final String label;

    Delimiter(char character, String label) {
        this.character = character;
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Commons CSV's RFC 4180 format with this delimiter; blank lines skipped, cells kept as written. */
    public CSVFormat format() {
        return CSVFormat.DEFAULT.builder().setDelimiter(character).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(false).setTrim(false).get();
    }

    /** Reads the header line ahead (mark/reset, the reader is left where it was) and picks the delimiter. */
    static Delimiter detect(BufferedReader reader, Path path) throws IOException {
        Delimiter preferred = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? TAB : COMMA;
        reader.mark(HEADER_SNIFF_CHARS + 1);
        StringBuilder line = new StringBuilder();
        for (int c = reader.read(); c >= 0 && c != '\n' && c != '\r' && line.length() < HEADER_SNIFF_CHARS; c = reader.read()) {
            line.append((char) c);
        }
        reader.reset();
        return forHeaderLine(line.toString(), preferred);
    }

    static Delimiter forHeaderLine(String headerLine, Delimiter preferred) {
        Delimiter best = preferred;
        int bestCount = knownColumns(headerLine, preferred);
        for (Delimiter candidate : values()) {
            int count = knownColumns(headerLine, candidate);
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }

    private static int knownColumns(String headerLine, Delimiter delimiter) {
        try {
            List<CSVRecord> records = delimiter.format().parse(new StringReader(headerLine)).getRecords();
            if (records.isEmpty()) {
                return 0;
            }
            int known = 0;
            for (String cell : records.get(0)) {
                if (Column.forHeader(cell) != null) {
                    known++;
                }
            }
            return known;
        } catch (IOException | RuntimeException e) {
            return 0; // not parseable with this delimiter (a stray quote): not the one
        }
    }
}
