package io.qualgranter.job;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fenced sends (issue 13): before each chunk's calls the run proves it still holds its lease; a run
 * whose lease was taken over sends nothing more and stops with one line (exit 1), and the same command
 * later finishes the run without calling twice.
 */
class FencedSendsTest {

    static final String TYPE = "3FENCETYPE0000000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Fence type");

    @Test
    void aRunThatLostItsLeaseSendsNoFurtherChunk() throws Exception {
        granter.cli().with("granter.chunk-size", "2");
        List<String> lines = new ArrayList<>(List.of("WorkerId,IntegerValue"));
        for (int i = 1; i <= 8; i++) {
            lines.add(worker(i) + "," + i);
        }
        Path input = csv(dir, "fenced.csv", lines.toArray(String[]::new));
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--concurrency", "1"};
        // while the second chunk's calls are under way, another process takes the lease over
        granter.mturk().onAssociate(call -> {
            if (call.sequence() == 3) {
                sql("UPDATE GRANTER_RUN_LEASE SET OWNER_TOKEN = 'another-process'");
            }
            return Optional.empty();
        });

        Result fenced = granter.grant(command);

        assertThat(fenced.exitCode()).as(fenced.all()).isEqualTo(1);
        assertThat(fenced.err()).contains("lease was taken over by another process").doesNotContain("Exception");
        assertThat(granter.mturk().associateCalls()).as("no call after the chunk that was under way").hasSize(4);

        granter.mturk().onAssociate(null);
        sql("DELETE FROM GRANTER_RUN_LEASE"); // the other process is gone
        Result resumed = granter.grant(command);
        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        for (int i = 1; i <= 8; i++) {
            assertThat(granter.mturk().associateCount(TYPE, worker(i))).as(worker(i)).isEqualTo(1);
        }
    }

    private void sql(String statement) {
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + granter.cli().home().resolve("jobrepo")
                + ";AUTO_SERVER=TRUE", "sa", "");
             Statement sql = db.createStatement()) {
            sql.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String worker(int i) {
        return String.format("A1FENCE%03d", i);
    }
}
