package io.qualgranter.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The input of a run and the one place that decides its format: JSON Lines when the name ends in
 * {@code .jsonl} or the first line starts with <code>{</code>; the Requester website's worker file when
 * the CSV header has {@code UPDATE-<qualification name>} columns; otherwise CSV/TSV.
 *
 * @param path            the input file
 * @param typeIdsByName   the caller's qualification type ids by name (the preflight resolves them;
 *                        only the website's worker file uses them), null when not resolved yet
 */
public record GrantInput(Path path, Map<String, String> typeIdsByName) {

    public GrantInput {
        typeIdsByName = typeIdsByName == null ? null : Map.copyOf(typeIdsByName);
    }

    /** The input before the preflight resolved any name (validation, the runner's checks). */
    public static GrantInput of(Path path) {
        return new GrantInput(path, null);
    }

    public String name() {
        return path.getFileName().toString();
    }

    /** Opens the input; throws {@link InputFileException} when it cannot be used at all. */
    public RowSource open() {
        return open(null, null);
    }

    /**
     * Opens the input of a run: CSV-based formats also check, as they are read, that the file is still
     * the one with the run's SHA-256 ({@link InputChangedException}, whose message says the consequence).
     */
    public RowSource open(String expectedSha256) {
        return open(expectedSha256, null);
    }

    /** As {@link #open(String)}; {@code consequenceOfChange} is what the message says a change meant. */
    public RowSource open(String expectedSha256, String consequenceOfChange) {
        if (isJsonLines()) {
            return JsonLinesFile.open(path);
        }
        GrantFile csv = GrantFile.open(path, expectedSha256);
        if (consequenceOfChange != null) {
            csv.onChange(consequenceOfChange);
        }
        if (WorkerFile.isWorkerFile(csv)) {
            try {
                return new WorkerFile(csv, typeIdsByName);
            } catch (RuntimeException e) {
                csv.close();
                throw e;
            }
        }
        return csv;
    }

    private boolean isJsonLines() {
        String lower = name().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
            return true;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            return false; // GrantFile.open says what is wrong with it
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] start = in.readNBytes(4096);
            int i = start.length >= 3 && (start[0] & 0xff) == 0xEF && (start[1] & 0xff) == 0xBB && (start[2] & 0xff) == 0xBF ? 3 : 0;
            while (i < start.length && (start[i] == ' ' || start[i] == '\t' || start[i] == '\r' || start[i] == '\n')) {
                i++;
            }
            return i < start.length && start[i] == '{';
        } catch (IOException e) {
            return false;
        }
    }
}
