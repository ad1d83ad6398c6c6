package io.qualgranter.ledger;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.qualgranter.testsupport.FakeMTurk.AssociateCall;
import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger across runs: a later file's rows that an earlier run granted with the same value are
 * ALREADY_GRANTED without a call, a changed value is granted again, {@code --force} grants anyway;
 * a lost answer (grant applied, then 500) is confirmed, not re-sent; {@code abandon} gives up on a
 * failed run, and the next run starts afresh without repeating its grants.
 */
class LedgerRerunTest {

    static final String TYPE = "3LEDGERTYPE000000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Ledger type");

    @Test
    void laterFileSkipsWhatAnEarlierRunGrantedAndRegrantsChangedValues() {
        Path monday = csv(dir, "monday.csv", "WorkerId,IntegerValue", "A1LEDGER01,10", "A1LEDGER02,20", "A1LEDGER03,30");
        assertThat(granter.grant("--input", monday.toString(), "--qualification-type-id", TYPE).exitCode()).isZero();
        assertThat(granter.mturk().associateCalls()).hasSize(3);

        Path tuesday = csv(dir, "tuesday.csv", "WorkerId,IntegerValue",
                "A1LEDGER01,10",   // 2 same value: skipped
                "A1LEDGER02,25",   // 3 changed value: granted again
                "A1LEDGER03,30",   // 4 same value: skipped
                "A1LEDGER04,40");  // 5 new
        Result result = granter.grant("--input", tuesday.toString(), "--qualification-type-id", TYPE);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().associateCalls().subList(3, granter.mturk().associateCalls().size()))
                .extracting(AssociateCall::workerId).containsExactlyInAnyOrder("A1LEDGER02", "A1LEDGER04");
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(TYPE, "A1LEDGER01"), 10, new Key(TYPE, "A1LEDGER02"), 25,
                new Key(TYPE, "A1LEDGER03"), 30, new Key(TYPE, "A1LEDGER04"), 40));
        ReportFile report = ReportFile.read(dir.resolve("tuesday.report.csv"));
        assertThat(report.outcomes()).isEqualTo(Map.of(2L, "ALREADY_GRANTED", 3L, "GRANTED", 4L, "ALREADY_GRANTED",
                5L, "GRANTED"));
        assertThat(report.detail(2)).startsWith("granted by execution ");
        assertThat(result.out()).contains("ALREADY_GRANTED");

        Path wednesday = csv(dir, "wednesday.csv", "WorkerId,IntegerValue", "A1LEDGER01,10", "A1LEDGER04,40");
        Result forced = granter.grant("--input", wednesday.toString(), "--qualification-type-id", TYPE, "--force");
        assertThat(forced.exitCode()).as(forced.all()).isZero();
        assertThat(granter.mturk().associateCount(TYPE, "A1LEDGER01")).isEqualTo(2);
        assertThat(granter.mturk().associateCount(TYPE, "A1LEDGER04")).isEqualTo(2);
        assertThat(ReportFile.read(dir.resolve("wednesday.report.csv")).outcomes())
                .isEqualTo(Map.of(2L, "GRANTED", 3L, "GRANTED"));

        Path dry = csv(dir, "thursday.csv", "WorkerId,IntegerValue", "A1LEDGER01,10", "A1LEDGER05,50");
        assertThat(granter.grant("--input", dry.toString(), "--qualification-type-id", TYPE, "--dry-run").exitCode())
                .isZero();
        assertThat(ReportFile.read(dir.resolve("thursday.report.csv")).outcomes())
                .isEqualTo(Map.of(2L, "ALREADY_GRANTED", 3L, "WOULD_GRANT"));
    }

    @Test
    void anEndpointSpelledAnotherWayKeysTheSameLedger() {
        String plain = granter.mturk().endpoint().toString(); // http://127.0.0.1:PORT
        String spelledOtherwise = "HTTP" + plain.substring("http".length()) + "/";
        Path monday = csv(dir, "monday.csv", "WorkerId,IntegerValue", "A1LEDGER01,10", "A1LEDGER02,20");
        Result first = granter.cli().run("grant", "--endpoint-url", plain, "--input", monday.toString(),
                "--qualification-type-id", TYPE);
        assertThat(first.exitCode()).as(first.all()).isZero();

        Path tuesday = csv(dir, "tuesday.csv", "WorkerId,IntegerValue", "A1LEDGER01,10", "A1LEDGER02,20", "A1LEDGER03,30");
        Result second = granter.cli().run("grant", "--endpoint-url", spelledOtherwise, "--input", tuesday.toString(),
                "--qualification-type-id", TYPE);

        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(granter.mturk().associateCalls()).extracting(AssociateCall::workerId)
                .containsExactlyInAnyOrder("A1LEDGER01", "A1LEDGER02", "A1LEDGER03");
        assertThat(ReportFile.read(dir.resolve("tuesday.report.csv")).outcomes())
                .isEqualTo(Map.of(2L, "ALREADY_GRANTED", 3L, "ALREADY_GRANTED", 4L, "GRANTED"));
    }

    @Test
    void aLedgerTooBigForMemoryGivesTheSameOutcomesFromTheDatabase() {
        Path monday = csv(dir, "monday.csv", "WorkerId,IntegerValue", "A1LEDGER01,10", "A1LEDGER02,20", "A1LEDGER03,30");
        assertThat(granter.grant("--input", monday.toString(), "--qualification-type-id", TYPE).exitCode()).isZero();

        granter.cli().with("granter.ledger-memory", "1"); // no type's granted pairs fit: every row is looked up in blocks
        Path tuesday = csv(dir, "tuesday.csv", "WorkerId,IntegerValue", "A1LEDGER01,10", "A1LEDGER02,25",
                "A1LEDGER03,30", "A1LEDGER04,40");
        Result result = granter.grant("--input", tuesday.toString(), "--qualification-type-id", TYPE);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().associateCalls().subList(3, granter.mturk().associateCalls().size()))
                .extracting(AssociateCall::workerId).containsExactlyInAnyOrder("A1LEDGER02", "A1LEDGER04");
        ReportFile report = ReportFile.read(dir.resolve("tuesday.report.csv"));
        assertThat(report.outcomes()).isEqualTo(Map.of(2L, "ALREADY_GRANTED", 3L, "GRANTED", 4L, "ALREADY_GRANTED",
                5L, "GRANTED"));
        assertThat(report.detail(2)).startsWith("granted by execution ");
    }

    @Test
    void lostAnswerIsConfirmedWithGetQualificationScoreAndNotSentAgain() {
        granter.mturk().applyThenFail(1);
        Path input = csv(dir, "lost.csv", "WorkerId,IntegerValue", "A1LOST0001,7", "A1LOST0002,8");

        Result result = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE,
                "--send-notification", "--concurrency", "1"); // one at a time: the first row's answer is lost

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().associateCount(TYPE, "A1LOST0001")).as("the lost answer's call is not repeated").isEqualTo(1);
        assertThat(granter.mturk().notificationsSent("A1LOST0001")).isEqualTo(1);
        assertThat(granter.mturk().notificationsSent("A1LOST0002")).isEqualTo(1);
        assertThat(granter.mturk().requestCount("GetQualificationScore")).isEqualTo(1);
        ReportFile report = ReportFile.read(dir.resolve("lost.report.csv"));
        assertThat(report.outcomes()).isEqualTo(Map.of(2L, "GRANTED", 3L, "GRANTED"));
        assertThat(report.detail(2)).contains("confirmed after a lost answer").contains("ServiceFault");
    }

    @Test
    void a500ThatDidNotApplyIsCheckedThenSentAgain() {
        granter.mturk().failNext(1, 500);
        Path input = csv(dir, "retry.csv", "WorkerId,IntegerValue", "A1RETRY001,3");

        Result result = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE,
                "--send-notification");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().associateCount(TYPE, "A1RETRY001")).isEqualTo(2);
        assertThat(granter.mturk().notificationsSent("A1RETRY001")).isEqualTo(1);
        assertThat(granter.mturk().requestCount("GetQualificationScore"))
                .as("checked when the answer was lost and again right before the re-send").isEqualTo(2);
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(TYPE, "A1RETRY001"), 3));
    }

    @Test
    void abandonedRunIsGivenUpAndTheNextRunDoesNotRepeatItsGrants() {
        granter.cli().with("granter.failure-limit", "2").with("granter.chunk-size", "2");
        Path input = csv(dir, "give-up.csv", "WorkerId,IntegerValue",
                "A1GIVEUP01,1", "A1GIVEUP02,2", "A1GIVEUP03,3", "A1GIVEUP04,4", "A1GIVEUP05,5", "A1GIVEUP06,6");
        granter.mturk().failAssociateFromCall(3, 500);
        Result failed = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE);
        assertThat(failed.exitCode()).as(failed.all()).isEqualTo(1);
        String status = granter.cli().run("status").out();
        Matcher execution = Pattern.compile("(?m)^\\d+\\s+(\\d+)\\s+FAILED").matcher(status);
        assertThat(execution.find()).as(status).isTrue();

        Result abandoned = granter.cli().run("abandon", "--execution-id", execution.group(1));
        assertThat(abandoned.exitCode()).as(abandoned.all()).isZero();
        assertThat(granter.cli().run("status").out()).contains("ABANDONED").contains("[abandoned]");
        Result unknown = granter.cli().run("abandon", "--execution-id", "999999");
        assertThat(unknown.exitCode()).as(unknown.all()).isEqualTo(2);
        assertThat(unknown.err()).contains("no execution 999999");

        granter.mturk().clearFaults();
        Result again = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE);
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(ReportFile.read(dir.resolve("give-up.report.csv")).outcomes())
                .isEqualTo(Map.of(2L, "ALREADY_GRANTED", 3L, "ALREADY_GRANTED", 4L, "GRANTED", 5L, "GRANTED",
                        6L, "GRANTED", 7L, "GRANTED"));
        assertThat(granter.mturk().associateCount(TYPE, "A1GIVEUP01")).isEqualTo(1);
        assertThat(granter.mturk().grants()).hasSize(6);
    }
}
