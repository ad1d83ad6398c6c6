package io.qualgranter.input;

import io.qualgranter.row.GrantRow;

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
import java.util.EnumMap;
import java.util.Map;

import org.apache.commons.io.input.BOMInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams a JSON Lines input: each non-blank line is the request object that
 * {@code aws mturk associate-qualification-with-worker --cli-input-json} takes, e.g.
 * <code>{"QualificationTypeId": "3ABC", "WorkerId": "A1XYZ", "IntegerValue": 90, "SendNotification": false}</code>.
 * Field names match like CSV headers (so {@code worker_id} works too); other fields are ignored.
 * A line that is not a JSON object makes the file unusable, as an unparseable CSV does.
 */
public final class JsonLinesFile implements RowSource {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String name;
    private final BufferedReader reader;
    private long lineNumber;
    private boolean sawRow;

    private JsonLinesFile(String name, BufferedReader reader) {
        this.name = name;
        this.reader = reader;
    }

    public static JsonLinesFile open(Path path) {
        if (!Files.exists(path)) {
            throw new InputFileException(path + ": no such file");
        }
        if (Files.isDirectory(path)) {
            throw new InputFileException(path + ": is a directory, not a JSON Lines file");
        }
        try {
            InputStream in = BOMInputStream.builder().setInputStream(Files.newInputStream(path)).get();
            return new JsonLinesFile(path.getFileName().toString(), new BufferedReader(new InputStreamReader(in,
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16));
        } catch (IOException e) {
            throw new InputFileException(path + ": cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public GrantRow next() {
        String text = readLine();
        while (text != null && text.isBlank()) {
            text = readLine();
        }
        if (text == null) {
            if (!sawRow) {
                throw new InputFileException(name + ": the file is empty: expected one request object per line, such as "
                        + "{\"QualificationTypeId\": \"3ABC...\", \"WorkerId\": \"A1...\", \"IntegerValue\": 1}");
            }
            return null;
        }
        sawRow = true;
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (JacksonException e) {
            throw notAnObject("it is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (request == null || !request.isObject()) {
            throw notAnObject("it is not a JSON object");
        }
        Map<Column, String> cells = new EnumMap<>(Column.class);
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            Column column = Column.forHeader(field.getKey());
            if (column != null) {
                cells.put(column, text(field.getValue()));
            }
        }
        return new GrantRow(lineNumber, cells.get(Column.WORKER), cells.get(Column.TYPE), cells.get(Column.VALUE),
                cells.get(Column.NOTIFY));
    }

    /** Every line names its own worker and type: a line without them is an INVALID row, not an unusable file. */
    @Override
    public boolean has(Column column) {
        return true;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() {
        try {
            String text = reader.readLine();
            if (text != null) {
                lineNumber++;
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new InputFileException(name + ": line " + (lineNumber + 1) + ": the file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new InputFileException(name + ": line " + (lineNumber + 1) + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private InputFileException notAnObject(String why) {
        return new InputFileException(name + ": line " + lineNumber + ": " + why + "; each line of a JSON Lines file "
                + "is one request object such as {\"QualificationTypeId\": \"3ABC...\", \"WorkerId\": \"A1...\", \"IntegerValue\": 1}");
    }

    /** A field's value as the text a CSV cell would hold; null for JSON null. */
    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.stringValue();
        }
        return value.toString();
    }
}
