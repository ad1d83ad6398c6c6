package io.qualgranter.input;

import io.qualgranter.row.GrantRow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** {@link GrantFile} on its own: what the corpus test cannot show from the outside. */
class GrantFileTest {

    @TempDir
    Path dir;

    @Test
    void aRecordPastTheLimitStopsTheFileWithItsLine() throws IOException {
        Path file = write("long.csv", "WorkerId,IntegerValue\nA1OK,1\nA1LONG," + "9".repeat(300_000) + "\nA1AFTER,2\n");

        try (GrantFile grantFile = GrantFile.open(file, null, 100_000)) {
            assertThat(grantFile.next().workerId()).isEqualTo("A1OK");
            assertThatThrownBy(grantFile::next).isInstanceOf(InputFileException.class)
                    .hasMessageStartingWith("long.csv: line 3: a record longer than")
                    .hasMessageContaining("not a usable CSV file");
        }
    }

    @Test
    void aQuoteThatNeverClosesIsStoppedByTheLimitToo() throws IOException {
        Path file = write("open-quote.csv", "WorkerId,Notes\nA1OK,\"" + "x\n".repeat(150_000));

        try (GrantFile grantFile = GrantFile.open(file, null, 100_000)) {
            assertThatThrownBy(() -> drain(grantFile)).isInstanceOf(InputFileException.class)
                    .hasMessageContaining("open-quote.csv: line 2: a record longer than");
        }
    }

    @Test
    void delimiterIsTheOneThatNamesMostKnownColumnsWithTheExtensionBreakingTies() {
        assertThat(Delimiter.forHeaderLine("WorkerId;QualificationTypeId;IntegerValue", Delimiter.COMMA))
                .isEqualTo(Delimiter.SEMICOLON);
        assertThat(Delimiter.forHeaderLine("WorkerId\tscore", Delimiter.COMMA)).isEqualTo(Delimiter.TAB);
        assertThat(Delimiter.forHeaderLine("WorkerId,score;notes", Delimiter.COMMA)).isEqualTo(Delimiter.COMMA);
        assertThat(Delimiter.forHeaderLine("WorkerId", Delimiter.TAB)).isEqualTo(Delimiter.TAB);
        assertThat(Delimiter.forHeaderLine("WorkerId", Delimiter.COMMA)).isEqualTo(Delimiter.COMMA);
        assertThat(Delimiter.forHeaderLine("\"Worker;Id\",score", Delimiter.COMMA)).isEqualTo(Delimiter.COMMA);
    }

    @Test
    void linesAreWhereRecordsStartWhateverTheLineBreaks() throws IOException {
        Path file = write("lines.csv", "WorkerId,Notes\r\nA1A,\"one\r\ntwo\"\n\nA1B,x\rA1C,\"a\nb\nc\"\r\n,,\nA1D,\n");

        assertThat(lines(file)).containsExactly(2L, 5L, 6L, 10L);
    }

    @Test
    void bytesThatChangedSinceTheRunStartedAreFoundAtTheEnd() throws IOException {
        Path file = write("changed.csv", "WorkerId\nA1A\nA1B\n");
        String original = GrantFile.sha256(file);
        Files.writeString(file, "WorkerId\nA1A\nA1C\n");

        try (GrantFile grantFile = GrantFile.open(file, original)) {
            assertThat(grantFile.next().workerId()).isEqualTo("A1A");
            assertThat(grantFile.next().workerId()).isEqualTo("A1C");
            assertThatThrownBy(grantFile::next).isInstanceOf(InputChangedException.class)
                    .hasMessageStartingWith("changed.csv: the file changed since this run started (SHA-256 "
                            + original.substring(0, 12))
                    .hasMessageContaining("nothing was sent");
        }
        try (GrantFile grantFile = GrantFile.open(file, GrantFile.sha256(file))) {
            assertThat(drain(grantFile)).isEqualTo(2);
            assertThat(grantFile.next()).as("asked again after the end").isNull();
        }
    }

    @Test
    void aFileThatGrowsWhileItIsReadIsCaughtBeforeTheAppendedBytesAreUsed() throws IOException {
        Path file = write("grows.csv", "WorkerId\nA1A\nA1B\n");

        try (GrantFile grantFile = GrantFile.open(file, GrantFile.sha256(file))) {
            assertThat(grantFile.next().workerId()).isEqualTo("A1A");
            Files.writeString(file, "A1APPENDED\n", java.nio.file.StandardOpenOption.APPEND);
            assertThat(grantFile.next().workerId()).as("read before the change").isEqualTo("A1B");
            assertThatThrownBy(grantFile::next).isInstanceOf(InputChangedException.class)
                    .hasMessageStartingWith("grows.csv: the file changed since this run started (17 bytes when opened,"
                            + " 28 before line 4 was read)");
        }
    }

    @Test
    void theGrantStepRefusesAChangedFileBeforeHandingOutAnyRow() throws IOException {
        Path file = write("step.csv", "WorkerId\nA1A\n");
        String original = GrantFile.sha256(file);
        Files.writeString(file, "WorkerId\nA1B\n");
        GrantRowReader reader = new GrantRowReader(GrantInput.of(file), original);

        assertThatThrownBy(() -> reader.open(new ExecutionContext())).hasRootCauseInstanceOf(InputChangedException.class)
                .rootCause().hasMessageContaining("step.csv: the file changed since this run started")
                .hasMessageContaining("nothing was sent");
    }

    @Test
    void allBlankRowsAreSkippedButAShortRowIsARow() throws IOException {
        Path file = write("short.csv", "WorkerId,QualificationTypeId,IntegerValue\n , ,\nA1SHORT\n\u00a0\n");

        try (GrantFile grantFile = GrantFile.open(file)) {
            GrantRow row = grantFile.next();
            assertThat(row).isEqualTo(new GrantRow(3, "A1SHORT", null, null, null));
            assertThat(grantFile.next()).isNull();
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Long> lines(Path file) {
        List<Long> lines = new ArrayList<>();
        try (GrantFile grantFile = GrantFile.open(file)) {
            for (GrantRow row = grantFile.next(); row != null; row = grantFile.next()) {
                lines.add(row.line());
            }
        }
        return lines;
    }

    private static int drain(GrantFile file) {
        int rows = 0;
        while (file.next() != null) {
            rows++;
        }
        return rows;
    }
}
