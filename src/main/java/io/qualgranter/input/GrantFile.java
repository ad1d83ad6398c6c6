package io.qualgranter.input;

import io.qualgranter.row.GrantRow;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.ByteOrderMark;
import org.apache.commons.io.input.BOMInputStream;

/**
 * Streams the data rows of one CSV or TSV input file, one {@link GrantRow} at a time, never holding
 * more than one record in memory. Open it, call {@link #next()} until it answers null, close it.
 *
 * <p>What it does with awkward files (README, "Input files"): UTF-8 or UTF-16 with a byte-order mark;
 * the delimiter (comma, tab or semicolon) taken from the header line; bytes that are not UTF-8 read
 * as U+FFFD (the row is INVALID only if an id or value holds them); rows whose cells are all blank
 * skipped like blank lines. The whole file is refused, naming the line, when it is not text (NUL
 * bytes, a ZIP/Excel/gzip file), has a quote that is never closed, or a record longer than
 * {@link #MAX_RECORD_CHARS}. Given the run's SHA-256, it also refuses a file whose bytes changed.
 */
public final class GrantFile implements RowSource {

    /** The longest record accepted, in characters: far beyond any real row, well within the heap. */
    public static final int MAX_RECORD_CHARS = 32 << 20;

    private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)");
    private static final Pattern AT_LINE = Pattern.compile("at line: (\\d+)");

    private final Path path;
    private final String name;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> headerCells;
    private final RecordSizeLimit limit;
    private final MessageDigest digest;
    private final String expectedSha256;
    private String consequenceOfChange = "nothing was sent";
    private final HeaderMapping header;
    private final Delimiter delimiter;
    private long lastLine;
    private boolean endChecked;

    /** One record's cells and the line where it starts (for formats built on CSV, such as {@link WorkerFile}). */
    record Cells(long line, List<String> cells) {
    }

    private GrantFile(Path path, CSVParser parser, RecordSizeLimit limit, MessageDigest digest, String expectedSha256,
                      Delimiter delimiter) {
        this.path = path;
        this.name = path.getFileName().toString();
        this.parser = parser;
        this.records = parser.iterator();
        this.limit = limit;
        this.digest = digest;
        this.expectedSha256 = expectedSha256;
        this.delimiter = delimiter;
        this.headerCells = readHeader();
        this.header = HeaderMapping.of(name, headerCells);
    }

    /** Opens the file and reads its header row; throws {@link InputFileException} when it cannot be used. */
    public static GrantFile open(Path path) {
        return open(path, null, MAX_RECORD_CHARS);
    }

    /**
     * Like {@link #open(Path)}, and at the end of the file checks that the bytes read have the given
     * SHA-256 (the run's identity): {@link InputChangedException} when the file changed since.
     */
    public static GrantFile open(Path path, String expectedSha256) {
        return open(path, expectedSha256, MAX_RECORD_CHARS);
    }

    static GrantFile open(Path path, String expectedSha256, int maxRecordChars) {
        checkReadable(path);
        InputStream raw = null;
        try {
            BasicFileAttributes openedAs = Files.readAttributes(path, BasicFileAttributes.class);
            raw = Files.newInputStream(path);
            MessageDigest digest = expectedSha256 == null ? null : MessageDigest.getInstance("SHA-256");
            InputStream hashed = digest == null ? raw
                    : new DigestInputStream(new ChangeWatch(raw, path, openedAs), digest);
            BufferedInputStream buffered = new BufferedInputStream(hashed, 1 << 16);
            refuseKnownBinary(path, buffered);
            BOMInputStream bom = BOMInputStream.builder().setInputStream(buffered)
                    .setByteOrderMarks(ByteOrderMark.UTF_8, ByteOrderMark.UTF_16LE, ByteOrderMark.UTF_16BE).get();
            Charset charset = bom.hasBOM() ? Charset.forName(bom.getBOMCharsetName()) : StandardCharsets.UTF_8;
            BufferedReader reader = new BufferedReader(new InputStreamReader(bom, charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
            Delimiter delimiter = Delimiter.detect(reader, path);
            RecordSizeLimit limit = new RecordSizeLimit(reader, maxRecordChars);
            CSVParser parser = delimiter.format().parse(limit);
            try {
                return new GrantFile(path, parser, limit, digest, expectedSha256, delimiter);
            } catch (RuntimeException e) {
                parser.close();
                throw e;
            }
        } catch (AccessDeniedException e) {
            closeQuietly(raw);
            throw new InputFileException(path + ": permission denied (cannot read the file)", e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new InputFileException(path + ": cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            closeQuietly(raw);
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** The SHA-256 of the file's bytes, in lower-case hex. */
    public static String sha256(Path path) {
        checkReadable(path);
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (AccessDeniedException e) {
            throw new InputFileException(path + ": permission denied (cannot read the file)", e);
        } catch (IOException e) {
            throw new InputFileException(path + ": cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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

    /** The next record's raw cells, or null at the end of the file (then checked unchanged, like {@link #next()}). */
    Cells nextCells() {
        CSVRecord record = nextRecord();
        if (record == null) {
            checkUnchanged();
            return null;
        }
        List<String> cells = Arrays.asList(record.values()); // the record's own array: no copy, no stream
        long line = startLine(cells);
        lastLine = parser.getCurrentLineNumber();
        return new Cells(line, cells);
    }

    String name() {
        return name;
    }

    /** What the message of a change found at the end of the file says it meant (default: nothing was sent). */
    public GrantFile onChange(String consequence) {
        this.consequenceOfChange = consequence;
        return this;
    }

    /** The delimiter in use (taken from the header line). */
    public Delimiter delimiter() {
        return delimiter;
    }

    /** The next data row, or null at the end of the file. Rows whose cells are all blank are skipped. */
    public GrantRow next() {
        for (Cells record = nextCells(); record != null; record = nextCells()) {
            List<String> cells = record.cells();
            if (!allBlank(cells)) {
                return new GrantRow(record.line(),
                        header.cell(cells, Column.WORKER),
                        header.cell(cells, Column.TYPE),
                        header.cell(cells, Column.VALUE),
                        header.cell(cells, Column.NOTIFY));
            }
        }
        return null;
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
        List<String> cells = first.toList();
        startLine(cells); // refuses NUL bytes in the header too
        lastLine = parser.getCurrentLineNumber();
        return cells;
    }

    private CSVRecord nextRecord() {
        limit.startRecord();
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw unparseable(e);
        }
    }

    private InputFileException unparseable(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ChangeWatch.ChangedException changed) {
                return InputChangedException.touched(name, lastLine + 1, changed.sizeThen, changed.sizeNow,
                        consequenceOfChange);
            }
            if (t instanceof RecordSizeLimit.RecordTooLongException) {
                return new InputFileException(name + ": line " + (lastLine + 1) + ": a record longer than "
                        + (limit.max() >> 20) + "M characters (" + limit.max() + "): this is not a usable CSV file"
                        + " (an unclosed quote, or not a CSV export at all?)", e);
            }
        }
        String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                : String.valueOf(e.getMessage());
        Matcher start = START_LINE.matcher(message);
        if (message.contains("EOF reached before encapsulated token finished") && start.find()) {
            return new InputFileException(name + ": line " + start.group(1) + ": a quoted field starts here and its"
                    + " closing quote (\") is missing: every quote that opens a field must close it", e);
        }
        Matcher at = AT_LINE.matcher(message);
        if (message.contains("Invalid character between encapsulated token and delimiter") && at.find()) {
            return new InputFileException(name + ": line " + at.group(1) + ": text after a closing quote: expected "
                    + "the delimiter (" + delimiter.label() + ") or the end of the line right after a quoted field", e);
        }
        return new InputFileException(name + ": line " + (lastLine + 1) + ": the CSV cannot be parsed: "
                + message.replace('\n', ' '), e);
    }

    /** At the end of the file: the bytes read must be those the run was started with. */
    private void checkUnchanged() {
        if (digest == null || endChecked) {
            return; // asked again after the end: the digest was checked (and reset) already
        }
        endChecked = true;
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw InputChangedException.hashDiffers(name, expectedSha256, actual, consequenceOfChange);
        }
    }

    /**
     * The parser reports where a record ends; a quoted value with line breaks started earlier.
     * The same pass refuses NUL bytes: a text file has none.
     */
    private long startLine(List<String> cells) {
        long breaks = 0;
        for (String cell : cells) {
            for (int i = 0; i < cell.length(); i++) {
                char c = cell.charAt(i);
                if (c >= ' ') {
                    continue; // one comparison for the common character: line breaks and NUL are below the space
                }
                if (c == '\n' || (c == '\r' && (i + 1 == cell.length() || cell.charAt(i + 1) != '\n'))) {
                    breaks++;
                } else if (c == '\0') {
                    throw new InputFileException(name + ": line " + (parser.getCurrentLineNumber() - breaks)
                            + ": NUL bytes: this is not a text file (expected CSV text in UTF-8;"
                            + " a UTF-16 file needs its byte-order mark)");
                }
            }
        }
        return parser.getCurrentLineNumber() - breaks;
    }

    private static boolean allBlank(List<String> cells) {
        for (String cell : cells) {
            if (!Whitespace.strip(cell).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Files that are certainly not CSV text, told by their first bytes. */
    private static void refuseKnownBinary(Path path, BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(4);
        in.reset();
        String kind = null;
        if (startsWith(magic, 0x50, 0x4B, 0x03, 0x04)) {
            kind = "a ZIP archive (an Excel .xlsx workbook?)";
        } else if (startsWith(magic, 0xD0, 0xCF, 0x11, 0xE0)) {
            kind = "an Excel .xls workbook";
        } else if (startsWith(magic, 0x1F, 0x8B)) {
            kind = "gzip-compressed (gunzip it first)";
        }
        if (kind != null) {
            throw new InputFileException(path.getFileName() + ": line 1: the file is " + kind
                    + ", not CSV text: save it as CSV UTF-8");
        }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void checkReadable(Path path) {
        if (!Files.exists(path)) {
            throw new InputFileException(path + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw new InputFileException(path + ": is a directory, not a CSV file");
        }
        if (!Files.isRegularFile(path)) {
            throw new InputFileException(path + ": is not a regular file (for a pipe, use --input -)");
        }
        if (!Files.isReadable(path)) {
            throw new InputFileException(path + ": permission denied (cannot read the file)");
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already failing with a better message
            }
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
