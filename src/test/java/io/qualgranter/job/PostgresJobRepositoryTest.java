package io.qualgranter.job;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.PostgresDatabase;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job repository in the local PostgreSQL (the postgres profile): schema created on first use and
 * reused by later starts, checkpoints there and not in H2, a stopped run resumed from them.
 */
class PostgresJobRepositoryTest {

    static final String TYPE = "3TESTTYPE00000000000000000001";

    static PostgresDatabase database;

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Test type");

    @BeforeAll
    static void createDatabase() {
        database = PostgresDatabase.create("jobrepo");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void runKeepsItsCheckpointsInPostgresAndALaterStartReusesTheSchema() {
        GranterCli cli = database.cli(dir.resolve("home"));
        Path input = rows("pg.csv", 25);

        Result first = cli.grant(granter.mturk(), "--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "500");

        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(25).containsEntry(new Key(TYPE, "A1WORKER007"), 7);
        assertThat(ReportFile.read(dir.resolve("pg.report.csv")).outcomes()).hasSize(25).containsValue("GRANTED")
                .doesNotContainValue("FAILED");
        long instancesBefore = database.queryLong("select count(*) from batch_job_instance");
        assertThat(instancesBefore).isPositive();
        assertThat(database.queryLong("select count(*) from batch_step_execution where step_name = 'grantRows'"
                + " and status = 'COMPLETED'")).isPositive();
        assertThat(dir.resolve("home/jobrepo.mv.db")).as("no H2 job repository").doesNotExist();

        Result again = database.cli(dir.resolve("home")).grant(granter.mturk(), "--input", input.toString(),
                "--qualification-type-id", TYPE);

        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("nothing to do");
        assertThat(granter.mturk().associateCalls()).hasSize(25);
    }

    @Test
    void runStoppedPartWayResumesFromItsPostgresCheckpoints() {
        GranterCli cli = database.cli(dir.resolve("home")).with("granter.failure-limit", "3").with("granter.chunk-size", "4");
        Path input = rows("resume.csv", 40);
        granter.mturk().failAssociateFromCall(15, 500);

        Result first = cli.grant(granter.mturk(), "--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "500");

        assertThat(first.exitCode()).as(first.all()).isEqualTo(1);
        Set<Key> grantedBefore = Set.copyOf(granter.mturk().grants().keySet());
        assertThat(grantedBefore).hasSize(14);
        assertThat(database.queryLong("select count(*) from batch_job_execution where status = 'FAILED'")).isPositive();

        granter.mturk().clearFaults();
        Result second = cli.grant(granter.mturk(), "--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "500");

        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(40);
        for (Key key : grantedBefore) {
            assertThat(granter.mturk().associateCount(key.qualificationTypeId(), key.workerId())).as(key.toString()).isEqualTo(1);
        }
        assertThat(ReportFile.read(dir.resolve("resume.report.csv")).outcomes()).hasSize(40)
                .allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
    }

    private Path rows(String name, int count) {
        String[] lines = new String[count + 1];
        lines[0] = "WorkerId,IntegerValue";
        for (int i = 1; i <= count; i++) {
            lines[i] = String.format("A1WORKER%03d,%d", i, i);
        }
        return csv(dir, name, lines);
    }
}
