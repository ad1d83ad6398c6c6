package io.qualgranter.input;

import io.qualgranter.row.GrantRow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines and the website worker file at the reader level, and the format dispatch of {@link GrantInput}. */
class JsonLinesFileTest {

    @TempDir
    Path dir;

    @Test
    void eachLineIsOneRequestWithItsPhysicalLineNumber() throws IOException {
        Path file = Files.writeString(dir.resolve("a.jsonl"), "\uFEFF{\"WorkerId\":\"A1X\",\"QualificationTypeId\":\"3T\","
                + "\"IntegerValue\":-7,\"SendNotification\":true,\"Extra\":[1]}\n\n  \n"
                + "{\"worker_id\":\"A1Y\",\"IntegerValue\":\"12\",\"QualificationTypeId\":null}\n");
        try (RowSource source = GrantInput.of(file).open()) {
            assertThat(source).isInstanceOf(JsonLinesFile.class);
            assertThat(source.next()).isEqualTo(new GrantRow(1, "A1X", "3T", "-7", "true"));
            assertThat(source.next()).isEqualTo(new GrantRow(4, "A1Y", null, "12", null));
            assertThat(source.next()).isNull();
        }
    }

    @Test
    void sampleFilesAreReadAsTheirFormat() {
        try (RowSource jsonl = GrantInput.of(Path.of("sample-data/good.jsonl")).open()) {
            assertThat(jsonl.next()).isEqualTo(new GrantRow(1, "A1EXAMPLEWORKER01", "3EXAMPLEQUALTYPE0000000000001", "90", "false"));
        }
        try (RowSource website = GrantInput.of(Path.of("sample-data/website-workers.csv")).open()) {
            int rows = 0;
            while (website.next() != null) {
                rows++;
            }
            assertThat(rows).as("90, 100, Revoke").isEqualTo(3);
            assertThat(website.qualificationNames()).containsExactlyInAnyOrder("Example writer", "Example speaker");
        }
    }

    @Test
    void notAnObjectOrTrailingTextMakesTheFileUnusable() throws IOException {
        Path array = Files.writeString(dir.resolve("b.jsonl"), "[1,2]\n");
        try (RowSource source = GrantInput.of(array).open()) {
            assertThatThrownBy(source::next).isInstanceOf(InputFileException.class)
                    .hasMessageContaining("b.jsonl: line 1: it is not a JSON object");
        }
        Path trailing = Files.writeString(dir.resolve("c.jsonl"), "{\"WorkerId\":\"A1X\"} {\"WorkerId\":\"A1Y\"}\n");
        try (RowSource source = GrantInput.of(trailing).open()) {
            assertThatThrownBy(source::next).isInstanceOf(InputFileException.class).hasMessageContaining("line 1");
        }
        Path empty = Files.writeString(dir.resolve("d.jsonl"), "\n\n");
        try (RowSource source = GrantInput.of(empty).open()) {
            assertThatThrownBy(source::next).isInstanceOf(InputFileException.class).hasMessageContaining("empty");
        }
    }

    @Test
    void csvStaysCsvAndUpdateColumnsMakeAWorkerFile() throws IOException {
        Path plain = Files.writeString(dir.resolve("p.csv"), "WorkerId,QualificationTypeId\nA1X,3T\n");
        try (RowSource source = GrantInput.of(plain).open()) {
            assertThat(source).isInstanceOf(GrantFile.class);
        }
        Path website = Files.writeString(dir.resolve("w.csv"),
                "Worker ID,CURRENT-Writer,UPDATE-Writer,UPDATE-Speaker\nA1X,5,revoke,7\n");
        try (RowSource source = new GrantInput(website, java.util.Map.of("Writer", "3W", "Speaker", "3S")).open()) {
            assertThat(source.typesByName()).isTrue();
            GrantRow revoke = source.next();
            assertThat(revoke.qualificationTypeId()).isEqualTo("3W");
            assertThat(revoke.problem()).contains("only grants");
            assertThat(source.next()).isEqualTo(new GrantRow(2, "A1X", "3S", "7", null));
            assertThat(source.next()).isNull();
            assertThat(source.qualificationNames()).containsExactly("Speaker");
        }
    }
}
