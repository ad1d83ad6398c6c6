package io.qualgranter.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The grant step's chunk: granter.chunk-seconds of calls at --rate, between chunk-size and max-chunk-rows. */
class GrantChunkRowsTest {

    final GranterProperties properties = new GranterProperties(Path.of("home"), 100, 10_000, 10,
            GranterProperties.defaultRetry());

    @Test
    void holdsSecondsOfCallsAtTheRate() {
        assertThat(GrantJobConfiguration.grantChunkRows(properties, 200, 15)).isEqualTo(3000);
        assertThat(GrantJobConfiguration.grantChunkRows(properties, 33.3, 15)).isEqualTo(500);
    }

    @Test
    void neverFewerThanChunkSizeNorMoreThanMaxChunkRows() {
        assertThat(GrantJobConfiguration.grantChunkRows(properties, 5, 15)).isEqualTo(100);
        assertThat(GrantJobConfiguration.grantChunkRows(properties, 2000, 15)).isEqualTo(10_000);
    }

    @Test
    void zeroSecondsIsChunkSizeRows() {
        assertThat(GrantJobConfiguration.grantChunkRows(properties, 500, 0)).isEqualTo(100);
    }
}
