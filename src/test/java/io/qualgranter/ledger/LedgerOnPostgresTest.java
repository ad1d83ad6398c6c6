package io.qualgranter.ledger;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.PostgresDatabase;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger end to end with the job repository in PostgreSQL (the postgres profile): a second file
 * skips what the first granted, regrants a changed value, and a lost answer is confirmed, not re-sent.
 */
class LedgerOnPostgresTest {

    static final String TYPE = "3PGLEDGERTYPE0000000000000001";

    @TempDir
    Path dir;

    FakeMTurk mturk;
    PostgresDatabase database;

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Ledger type", "Active", true);
        database = PostgresDatabase.create("issue4_e2e");
    }

    @AfterEach
    void stop() {
        mturk.close();
        database.close();
    }

    @Test
    void ledgerAndLostAnswerOnPostgres() {
        GranterCli cli = database.cli(dir.resolve("home"));
        Path first = csv(dir, "first.csv", "WorkerId,IntegerValue", "A1PGLEDG01,1", "A1PGLEDG02,2");
        assertThat(cli.grant(mturk, "--input", first.toString(), "--qualification-type-id", TYPE).exitCode()).isZero();

        mturk.applyThenFail(1);
        Path second = csv(dir, "second.csv", "WorkerId,IntegerValue", "A1PGLEDG01,1", "A1PGLEDG02,5", "A1PGLEDG03,3");
        Result result = cli.grant(mturk, "--input", second.toString(), "--qualification-type-id", TYPE,
                "--send-notification", "--concurrency", "1"); // one at a time: A1PGLEDG02's answer is the lost one

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(mturk.grants()).isEqualTo(Map.of(new Key(TYPE, "A1PGLEDG01"), 1, new Key(TYPE, "A1PGLEDG02"), 5,
                new Key(TYPE, "A1PGLEDG03"), 3));
        assertThat(mturk.associateCount(TYPE, "A1PGLEDG01")).isEqualTo(1);
        assertThat(mturk.associateCount(TYPE, "A1PGLEDG02")).as("lost answer: not sent again").isEqualTo(2);
        assertThat(mturk.notificationsSent("A1PGLEDG02")).isEqualTo(1);
        ReportFile report = ReportFile.read(dir.resolve("second.report.csv"));
        assertThat(report.outcomes()).isEqualTo(Map.of(2L, "ALREADY_GRANTED", 3L, "GRANTED", 4L, "GRANTED"));
        assertThat(report.detail(3)).contains("confirmed after a lost answer");
        assertThat(database.queryLong("SELECT COUNT(*) FROM GRANTER_LEDGER WHERE INTEGER_VALUE IS NOT NULL"
                + " AND PENDING_VALUE IS NULL")).isEqualTo(3);
        assertThat(database.queryLong("SELECT COUNT(*) FROM GRANTER_RUN_LEASE")).as("leases given back").isZero();
    }
}
