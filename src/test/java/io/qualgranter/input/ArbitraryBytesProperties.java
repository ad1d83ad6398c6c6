package io.qualgranter.input;

import io.qualgranter.row.GrantRow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.qualgranter.testsupport.AwkwardBytes;
import io.qualgranter.testsupport.SeededTries;
import io.qualgranter.validation.RowValidator;
import io.qualgranter.validation.RunDefaults;
import io.qualgranter.validation.Validated;
import org.junit.jupiter.api.Test;

/**
 * The reader and validator over any bytes, many times (no Spring context): the file is either refused
 * with one {@link InputFileException} line naming it, or read to its end as rows on increasing lines,
 * each of which validation answers without throwing.
 */
class ArbitraryBytesProperties {

    private final RowValidator validator = new RowValidator(new RunDefaults(null, 1, false));

    @Test
    void anyBytesAreRefusedWithOneLineOrReadToTheEnd() {
        SeededTries.run(400, random -> refusedWithOneLineOrReadToTheEnd(AwkwardBytes.file(random)));
    }

    private void refusedWithOneLineOrReadToTheEnd(byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory("arbitrary-bytes");
        Path file = Files.write(dir.resolve("input.csv"), bytes);
        try (GrantFile grantFile = GrantFile.open(file, GrantFile.sha256(file))) {
            long previousLine = 1;
            for (GrantRow row = grantFile.next(); row != null; row = grantFile.next()) {
                assertThat(row.line()).isGreaterThan(previousLine);
                previousLine = row.line();
                Validated validated = validator.validate(row);
                assertThat(validated.isValid() || validated.invalidReason() != null).isTrue();
            }
        } catch (InputFileException e) {
            assertThat(e.getMessage()).contains("input.csv").doesNotContain("\n").doesNotContain("\r");
        } finally {
            Files.delete(file);
            Files.delete(dir);
        }
    }
}
