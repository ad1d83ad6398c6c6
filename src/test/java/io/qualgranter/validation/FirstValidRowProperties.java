package io.qualgranter.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import io.qualgranter.input.GrantFile;
import io.qualgranter.row.GrantRow;
import io.qualgranter.row.Outcome;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.ReportFile;
import io.qualgranter.testsupport.SeededRandom;
import io.qualgranter.testsupport.SeededTries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * For any set of rows, with duplicates, padded and invalid cells: the rows sent are exactly the first
 * valid row of each (worker, type), with its value, and every line of the file gets exactly one
 * outcome. Checked many times over the reader and processor, a few times through the whole job.
 *
 * <p>Each generated cell knows what it must become ({@link Cell#value}, null when it is invalid), so
 * the expected grants are computed without the code under test.
 */
class FirstValidRowProperties {

    static final String TYPE_A = "3PROPTYPE00000000000000000A";
    static final String TYPE_B = "3PROPTYPE00000000000000000B";
    static final String DEFAULT_TYPE = "3PROPDEFAULT000000000000000";
    static final int DEFAULT_VALUE = 1;

    /** A cell as written in the file, and what validation must make of it (null: the row is INVALID). */
    record Cell(String written, String value) {
        static Cell valid(String written, String value) {
            return new Cell(written, value);
        }

        static Cell invalid(String written) {
            return new Cell(written, null);
        }
    }

    record Row(Cell worker, Cell type, Cell integer) {
        /** Every cell blank: a blank spreadsheet row, skipped like a blank line (no outcome). */
        boolean blank() {
            return worker.written().isBlank() && type.written().isBlank() && integer.written().isBlank();
        }

        boolean valid() {
            return worker.value() != null && type.value() != null && integer.value() != null;
        }

        String csv() {
            return quote(worker.written()) + "," + quote(type.written()) + "," + quote(integer.written());
        }

        private static String quote(String cell) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
    }

    private static final List<String> WORKER_IDS = List.of("A1W001", "A1W002", "A1W003", "A2ZZ9", "A0");
    private static final List<String> TYPES = List.of(TYPE_A, TYPE_B);

    static Row row(SeededRandom random) {
        Cell worker = random.fromOneOf(
                r -> valid(r.oneOf(WORKER_IDS), id -> id),
                r -> valid(r.oneOf(WORKER_IDS), id -> " " + id + "\t"),
                r -> valid(r.oneOf(WORKER_IDS), id -> "\u00a0" + id),
                r -> Cell.invalid(r.oneOf(WORKER_IDS).toLowerCase()),
                r -> Cell.invalid(r.oneOf(WORKER_IDS) + "," + r.oneOf(WORKER_IDS)),
                r -> Cell.invalid("B" + r.oneOf(WORKER_IDS).substring(1)),
                r -> r.oneOf(Cell.invalid(""), Cell.invalid("A"), Cell.invalid("A1 W1"), Cell.invalid("A1\u00e9"),
                        Cell.invalid("A" + "1".repeat(64))));
        Cell type = random.fromOneOf(
                r -> valid(r.oneOf(TYPES), id -> id),
                r -> valid(r.oneOf(TYPES), id -> " " + id + " "),
                r -> r.oneOf(Cell.valid("", DEFAULT_TYPE), Cell.valid("  ", DEFAULT_TYPE),
                        Cell.invalid(TYPE_A.toLowerCase()), Cell.invalid("3PROP-TYPE")));
        Cell integer = random.fromOneOf(
                r -> valid(Integer.toString(r.anyInt()), n -> n),
                r -> valid(Integer.toString(r.between(0, 100)), n -> "+" + n),
                r -> valid(Integer.toString(r.between(0, 100)), n -> " " + n + " "),
                r -> valid(Integer.toString(r.between(0, 100)), n -> "00" + n),
                r -> r.oneOf(Cell.valid("", Integer.toString(DEFAULT_VALUE)), Cell.invalid("1.0"), Cell.invalid("0x10"),
                        Cell.invalid("1e3"), Cell.invalid("2147483648"), Cell.invalid("-2147483649"), Cell.invalid("five"),
                        Cell.invalid("--1")));
        return new Row(worker, type, integer);
    }

    /** A valid cell whose value is {@code value}, written as {@code written.apply(value)}. */
    private static Cell valid(String value, UnaryOperator<String> written) {
        return Cell.valid(written.apply(value), value);
    }

    @Test
    void processorSendsTheFirstValidRowOfEachPairAndSettlesEveryLineOnce() {
        SeededTries.run(200, random -> processorSendsTheFirstValidRowOfEachPair(random.listOf(0, 60, () -> row(random))));
    }

    private static void processorSendsTheFirstValidRowOfEachPair(List<Row> rows) throws IOException {
        Path dir = Files.createTempDirectory("first-valid");
        try {
            Path file = write(dir, rows, "");
            Map<Key, Integer> sent = new LinkedHashMap<>();
            Set<Long> settledLines = new TreeSet<>();
            long outcomes = 0;
            GrantRowProcessor processor = new GrantRowProcessor(
                    new RowValidator(new RunDefaults(DEFAULT_TYPE, DEFAULT_VALUE, false)), false, dir.resolve("dedup.keys"));
            processor.open(new ExecutionContext());
            try (GrantFile grantFile = GrantFile.open(file)) {
                for (GrantRow row = grantFile.next(); row != null; row = grantFile.next()) {
                    PlannedRow planned = processor.process(row);
                    outcomes++;
                    assertThat(settledLines.add(row.line())).as("line %d read twice", row.line()).isTrue();
                    if (planned.needsCall()) {
                        Key key = new Key(planned.request().qualificationTypeId(), planned.request().workerId());
                        assertThat(sent.put(key, planned.request().integerValue())).as("%s sent twice", key).isNull();
                    } else {
                        assertThat(planned.outcome()).isIn(Outcome.INVALID, Outcome.DUPLICATE);
                    }
                }
            } finally {
                processor.close();
            }
            assertThat(sent).isEqualTo(firstValidRowPerPair(rows));
            assertThat(outcomes).as("one outcome per data row").isEqualTo(expectedLines(rows).size());
            assertThat(settledLines).isEqualTo(expectedLines(rows));
        } finally {
            deleteTree(dir);
        }
    }

    // ------------------------------------------------------------- a few times end to end

    static Path home;
    static int tryNumber;

    @BeforeAll
    static void createHome() throws IOException {
        home = Files.createTempDirectory("first-valid-home");
    }

    @AfterAll
    static void deleteHome() {
        deleteTree(home);
    }

    @Test
    void theWholeJobGrantsTheFirstValidRowOfEachPairAndReportsEveryLineOnce() {
        SeededTries.run(4, random -> {
            List<Row> rows = random.listOf(1, 30, () -> row(random));
            // a fake and a $GRANTER_HOME of its own for each try: the ledger is per endpoint, and a fake can get
            // the port an earlier try's fake had (most likely what InputCorpusTest met), so no try sees another's grants
            try (FakeMTurk mturk = FakeMTurk.start().addType(TYPE_A, "A", "Active", true).addType(TYPE_B, "B", "Active", true)
                    .addType(DEFAULT_TYPE, "Default", "Active", true)) {
                runWholeJob(mturk, rows);
            }
        });
    }

    private static void runWholeJob(FakeMTurk mturk, List<Row> rows) throws IOException {
        Path dir = Files.createTempDirectory(home, "try");
        Path file = write(dir, rows, ",try" + (++tryNumber)); // a new run each try, even for equal rows

        GranterCli cli = new GranterCli(Files.createDirectories(dir.resolve("home")));
        Result result = cli.grant(mturk, "--input", file.toString(), "--max-invalid", "100%",
                "--rate", "1000", "--qualification-type-id", DEFAULT_TYPE, "--integer-value", Integer.toString(DEFAULT_VALUE));

        boolean anyInvalid = rows.stream().anyMatch(row -> !row.valid() && !row.blank());
        assertThat(result.exitCode()).as(result.all()).isEqualTo(anyInvalid ? 3 : 0);
        assertThat(mturk.grants()).isEqualTo(firstValidRowPerPair(rows));
        assertThat(mturk.associateCalls()).hasSize(firstValidRowPerPair(rows).size());
        if (expectedOutcomes(rows).isEmpty()) {
            assertThat(result.all()).contains("no data rows: nothing to grant");
            return;
        }
        ReportFile report = ReportFile.read(dir.resolve("rows.report.csv"));
        assertThat(report.outcomes()).isEqualTo(expectedOutcomes(rows));
    }

    // ------------------------------------------------------------- the model

    /** What must be sent, computed from the generated cells alone. */
    static Map<Key, Integer> firstValidRowPerPair(List<Row> rows) {
        Map<Key, Integer> expected = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.valid()) {
                expected.putIfAbsent(new Key(row.type().value(), row.worker().value()), Integer.parseInt(row.integer().value()));
            }
        }
        return expected;
    }

    /** Line 1 is the header; row i is on line i + 2 (no cell holds a line break); blank rows have no outcome. */
    static Set<Long> expectedLines(List<Row> rows) {
        return expectedOutcomes(rows).keySet();
    }

    /** GRANTED for the first valid row of a pair, DUPLICATE for later valid ones, INVALID for the rest. */
    static Map<Long, String> expectedOutcomes(List<Row> rows) {
        Map<Long, String> outcomes = new TreeMap<>();
        Set<Key> seen = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.blank()) {
                continue;
            }
            String outcome = !row.valid() ? "INVALID"
                    : seen.add(new Key(row.type().value(), row.worker().value())) ? "GRANTED" : "DUPLICATE";
            outcomes.put(i + 2L, outcome);
        }
        return outcomes;
    }

    static Path write(Path dir, List<Row> rows, String extraHeader) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("WorkerId,QualificationTypeId,IntegerValue" + extraHeader);
        rows.forEach(row -> lines.add(row.csv()));
        return Files.write(dir.resolve("rows.csv"), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Best effort: a temporary directory left behind is no test failure. */
    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // left for the OS to clean
        }
    }
}
