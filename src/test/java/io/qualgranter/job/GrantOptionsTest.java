package io.qualgranter.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;

import io.qualgranter.validation.InvalidLimit;
import org.junit.jupiter.api.Test;

class GrantOptionsTest {

    @Test
    void reportGoesBesideTheInputUnlessGiven() {
        assertThat(options(Path.of("/data/workers.csv"), null).reportPath()).isEqualTo(Path.of("/data/workers.report.csv"));
        assertThat(options(Path.of("/data/batch.2026.tsv"), null).reportPath()).isEqualTo(Path.of("/data/batch.2026.report.csv"));
        assertThat(options(Path.of("/data/noext"), null).reportPath()).isEqualTo(Path.of("/data/noext.report.csv"));
        assertThat(options(Path.of("/data/w.csv"), Path.of("/out/r.csv")).reportPath()).isEqualTo(Path.of("/out/r.csv"));
    }

    private static GrantOptions options(Path input, Path report) {
        return new GrantOptions(input, report, null, 1, false, URI.create("http://localhost"), 5, 8, false,
                InvalidLimit.parse("10%"), false);
    }
}
