package io.qualgranter.job;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any sequence of failure, abandon and recovery leaves the same command able to finish the run
 * (issue 12): an older execution of the run abandoned while a newer one failed, and an execution
 * left UNKNOWN (its last save failed). No Spring Batch message reaches the terminal.
 */
class AbandonAndUnknownTest {

    static final String TYPE = "3ABANDONTYPE00000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Abandon type");

    @Test
    void abandoningAnOlderExecutionOfAFailedRunLeavesTheCommandAbleToFinish() {
        granter.cli().with("granter.failure-limit", "2").with("granter.chunk-size", "2");
        Path input = rows("older.csv");
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--concurrency", "1"};
        granter.mturk().failAssociateFromCall(3, 500);
        assertThat(granter.grant(command).exitCode()).isEqualTo(1);
        assertThat(granter.grant(command).exitCode()).isEqualTo(1);
        List<Long> failed = failedExecutions();
        assertThat(failed).hasSize(2);

        Result abandoned = granter.cli().run("abandon", "--execution-id", Long.toString(Math.min(failed.get(0), failed.get(1))));
        assertThat(abandoned.exitCode()).as(abandoned.all()).isZero();

        granter.mturk().clearFaults();
        Result again = granter.grant(command);
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.all()).doesNotContain("JobParameter").doesNotContain("already exists");
        assertThat(granter.mturk().grants()).hasSize(6);
        for (int i = 1; i <= 6; i++) {
            assertThat(granter.mturk().grants()).containsEntry(new FakeMTurk.Key(TYPE, worker(i)), i);
        }
        // the abandoned run was given up: what it granted is an earlier run's grant now
        assertThat(ReportFile.read(dir.resolve("older.report.csv")).outcomes()).isEqualTo(java.util.Map.of(
                2L, "ALREADY_GRANTED", 3L, "ALREADY_GRANTED", 4L, "GRANTED", 5L, "GRANTED", 6L, "GRANTED", 7L, "GRANTED"));
        assertThat(granter.mturk().associateCount(TYPE, worker(1))).isEqualTo(1);
    }

    @Test
    void anExecutionLeftUnknownIsResumedFromItsCheckpoints() throws Exception {
        granter.cli().with("granter.failure-limit", "2").with("granter.chunk-size", "2");
        Path input = rows("unknown.csv");
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--concurrency", "1"};
        granter.mturk().failAssociateFromCall(3, 500);
        assertThat(granter.grant(command).exitCode()).isEqualTo(1);
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + granter.cli().home().resolve("jobrepo")
                + ";AUTO_SERVER=TRUE", "sa", "");
             Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'UNKNOWN'");
            sql.executeUpdate("UPDATE BATCH_STEP_EXECUTION SET STATUS = 'UNKNOWN' WHERE STATUS = 'FAILED'");
        }

        granter.mturk().clearFaults();
        Result again = granter.grant(command);

        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.all()).doesNotContain("UNKNOWN status").doesNotContain("Exception");
        assertThat(granter.mturk().grants()).hasSize(6);
        assertThat(granter.mturk().associateCount(TYPE, worker(1))).isEqualTo(1);
        assertThat(granter.mturk().associateCount(TYPE, worker(2))).isEqualTo(1);
        assertThat(ReportFile.read(dir.resolve("unknown.report.csv")).outcomes()).hasSize(6)
                .allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
    }

    private List<Long> failedExecutions() {
        String status = granter.cli().run("status").out();
        Matcher m = Pattern.compile("(?m)^\\d+\\s+(\\d+)\\s+FAILED").matcher(status);
        List<Long> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    private Path rows(String name) {
        List<String> lines = new ArrayList<>(List.of("WorkerId,IntegerValue"));
        for (int i = 1; i <= 6; i++) {
            lines.add(worker(i) + "," + i);
        }
        return csv(dir, name, lines.toArray(String[]::new));
    }

    private static String worker(int i) {
        return String.format("A1ABANDON%02d", i);
    }
}
