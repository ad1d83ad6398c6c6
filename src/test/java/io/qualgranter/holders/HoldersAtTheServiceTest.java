package io.qualgranter.holders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.qualgranter.testsupport.ChildGranter;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the service already holds (issue 16): before granting, the run lists the type's holders
 * ({@code ListWorkersWithQualificationType}) when that can save calls. A worker who holds the same value
 * gets no call and no email (ALREADY_GRANTED, "held at the service"); another value is granted again.
 */
class HoldersAtTheServiceTest {

    static final String TYPE = "3HOLDERSTYPE00000000000000001";
    static final String LIST = "ListWorkersWithQualificationType";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Holders type");

    static String worker(int i) {
        return String.format("A1HOLD%05d", i);
    }

    /** Workers 1..rows, value i % 7 + 1. */
    private Path file(String name, int rows) throws IOException {
        List<String> lines = new ArrayList<>(List.of("WorkerId,IntegerValue"));
        for (int i = 1; i <= rows; i++) {
            lines.add(worker(i) + "," + value(i));
        }
        return Files.write(dir.resolve(name), lines);
    }

    static int value(int i) {
        return i % 7 + 1;
    }

    /** Workers 1..300 hold the file's value, 301..350 another one, granted outside this tool. */
    private void holdersOutsideThisTool(FakeMTurk mturk) {
        for (int i = 1; i <= 350; i++) {
            mturk.putGrant(TYPE, worker(i), i <= 300 ? value(i) : value(i) + 10);
        }
    }

    @Test
    void holdersWithTheSameValueGetNoCallAndNoEmailOthersAreGranted() throws Exception {
        FakeMTurk mturk = granter.mturk();
        holdersOutsideThisTool(mturk);
        Path input = file("first.csv", 500);

        Path summary = dir.resolve("summary.json");
        Result result = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE,
                "--send-notification", "--rate", "200", "--summary-json", summary.toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        JSONObject holders = (JSONObject) ((JSONObject) new JSONParser(JSONParser.MODE_STRICTEST)
                .parse(Files.readString(summary).strip())).get("holders");
        assertThat(holders).containsEntry("listed", 350).containsEntry("pages", 4).containsEntry("rows_settled", 300);
        for (int i = 1; i <= 500; i++) {
            assertThat(mturk.associateCount(TYPE, worker(i))).as("calls for %s", worker(i)).isEqualTo(i <= 300 ? 0 : 1);
            assertThat(mturk.notificationsSent(worker(i))).as("mails to %s", worker(i)).isEqualTo(i <= 300 ? 0 : 1);
            assertThat(mturk.grants()).containsEntry(new Key(TYPE, worker(i)), value(i));
        }
        assertThat(mturk.requestCount(LIST)).as("350 holders, 100 a page").isEqualTo(4);
        ReportFile report = ReportFile.read(dir.resolve("first.report.csv"));
        for (int i = 1; i <= 500; i++) {
            long line = i + 1;
            assertThat(report.outcomes().get(line)).as("line %d", line).isEqualTo(i <= 300 ? "ALREADY_GRANTED" : "GRANTED");
        }
        assertThat(report.detail(2)).isEqualTo("held at the service");
        assertThat(result.out()).contains("Holders listed at the service: 350 (4 page(s)); rows settled by them"
                + " (held at the service, no call): 300");

        // the ledger learned them: a later file asks the service nothing and calls nobody who holds the type
        Path later = file("later.csv", 350);
        Result again = granter.grant("--input", later.toString(), "--qualification-type-id", TYPE, "--rate", "200");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(mturk.requestCount(LIST)).isEqualTo(4);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(200);
        assertThat(ReportFile.read(dir.resolve("later.report.csv")).detail(2)).startsWith("held at the service (listed by execution ");
    }

    @Test
    void aSmallFileOrTheOffSwitchOrForceListsNothing() throws Exception {
        FakeMTurk mturk = granter.mturk();
        holdersOutsideThisTool(mturk);

        Result small = granter.grant("--input", file("small.csv", 9).toString(), "--qualification-type-id", TYPE);
        assertThat(small.exitCode()).as(small.all()).isZero();
        assertThat(mturk.requestCount(LIST)).as("9 rows cannot pay for a page").isZero();
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(9);
        assertThat(Files.readString(dir.resolve("home/logs/granter.log")))
                .contains("Not listing the holders of " + TYPE + ": 9 row(s) wait for a call");

        Result off = granter.grant("--input", file("off.csv", 400).toString(), "--qualification-type-id", TYPE,
                "--no-list-holders", "--rate", "200");
        assertThat(off.exitCode()).as(off.all()).isZero();
        assertThat(mturk.requestCount(LIST)).isZero();
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(9 + 391);
        assertThat(off.out()).doesNotContain("Holders listed");

        Result forced = granter.grant("--input", file("forced.csv", 420).toString(), "--qualification-type-id", TYPE,
                "--force", "--rate", "200");
        assertThat(forced.exitCode()).as(forced.all()).isZero();
        assertThat(mturk.requestCount(LIST)).as("--force grants anyway").isZero();
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(400 + 420);
    }

    @Test
    void aRerunWhoseLedgerKnowsMoreHoldersThanItHasRowsToCallDoesNotList() throws Exception {
        FakeMTurk mturk = granter.mturk();
        Result first = granter.grant("--input", file("monday.csv", 2_000).toString(), "--qualification-type-id", TYPE,
                "--rate", "500");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(mturk.requestCount(LIST)).as("nobody held it yet: one empty page").isEqualTo(1);

        Result grown = granter.grant("--input", file("tuesday.csv", 2_015).toString(), "--qualification-type-id", TYPE,
                "--rate", "500");

        assertThat(grown.exitCode()).as(grown.all()).isZero();
        assertThat(mturk.requestCount(LIST)).as("2,000 known holders are 20 pages: more than 15 rows to call").isEqualTo(1);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(2_015);
        assertThat(Files.readString(dir.resolve("home/logs/granter.log")))
                .contains("Not listing the holders of " + TYPE + ": the ledger already knows at least 1500 of them");
    }

    @Test
    void theListingIsPacedWithTheGrants() throws Exception {
        FakeMTurk mturk = granter.mturk();
        for (int i = 1; i <= 1_200; i++) {
            mturk.putGrant(TYPE, worker(i), value(i));
        }

        List<String> lines = new ArrayList<>(List.of("WorkerId,IntegerValue"));
        for (int i = 1_041; i <= 1_200; i++) { // the last holders listed: every page must be read
            lines.add(worker(i) + "," + value(i));
        }
        Path input = Files.write(dir.resolve("paced.csv"), lines);

        Result result = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "5");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(mturk.requestCount(LIST)).as("budget: 160 rows / 10 = 16 pages; the list ends after 12").isEqualTo(12);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isZero();
        // 12 pages at --rate 5: 2.2 s evenly spaced; 1.2 s even if a second's worth of permits had been saved up
        Matcher step = Pattern.compile("Step: \\[listHolders\\] executed in (?:(\\d+)s)?(\\d+)ms")
                .matcher(Files.readString(dir.resolve("home/logs/granter.log")));
        assertThat(step.find()).as("the listing step's time is logged").isTrue();
        long millis = (step.group(1) == null ? 0 : Long.parseLong(step.group(1)) * 1000) + Long.parseLong(step.group(2));
        assertThat(millis).as("the listing is paced by --rate").isGreaterThanOrEqualTo(1_200);
    }

    @Test
    void aRunKilledDuringTheListingEndsRightAndDoesNotListFromScratch() throws Exception {
        FakeMTurk mturk = granter.mturk();
        for (int i = 1; i <= 1_500; i++) {
            mturk.putGrant(TYPE, worker(i), i <= 1_000 ? value(i) : value(i) + 10);
        }
        Path input = file("killed.csv", 2_000);
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--send-notification"};
        ChildGranter.Run child = new ChildGranter(dir.resolve("home")).grant(mturk, append(command, "--rate", "4"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (mturk.requestCount(LIST) < 6 && child.alive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        child.kill();
        assertThat(child.awaitExit(10).exitCode()).isEqualTo(137);
        int listedBeforeTheKill = mturk.requestCount(LIST);
        assertThat(listedBeforeTheKill).isBetween(6, 14);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isZero();

        Result resumed = granter.grant(append(command, "--rate", "500"));

        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(mturk.requestCount(LIST)).as("went on from the last page listed").isLessThanOrEqualTo(15 + 1);
        for (int i = 1; i <= 2_000; i += 7) {
            assertThat(mturk.associateCount(TYPE, worker(i))).as("calls for %s", worker(i)).isEqualTo(i <= 1_000 ? 0 : 1);
            assertThat(mturk.notificationsSent(worker(i))).as("mails to %s", worker(i)).isEqualTo(i <= 1_000 ? 0 : 1);
            assertThat(mturk.grants()).containsEntry(new Key(TYPE, worker(i)), value(i));
        }
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(1_000);
        assertThat(ReportFile.read(dir.resolve("killed.report.csv")).outcomes().values().stream()
                .filter("ALREADY_GRANTED"::equals).count()).isEqualTo(1_000);
    }

    @Test
    void aDryRunPlannedAgainstTheServiceShowsWhatARealRunWouldChange() throws Exception {
        FakeMTurk mturk = granter.mturk();
        holdersOutsideThisTool(mturk);
        Path input = file("plan.csv", 500);

        Result plain = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE, "--dry-run");
        assertThat(plain.exitCode()).as(plain.all()).isZero();
        assertThat(mturk.totalRequests()).as("a plain dry run stays offline").isZero();

        Result planned = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE, "--dry-run",
                "--plan-against-service", "--report", dir.resolve("planned.csv").toString());
        assertThat(planned.exitCode()).as(planned.all()).isZero();
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isZero();
        assertThat(mturk.requestCount(LIST)).isEqualTo(4);
        ReportFile report = ReportFile.read(dir.resolve("planned.csv"));
        for (int i = 1; i <= 500; i++) {
            assertThat(report.outcomes().get(i + 1L)).as("line %d", i + 1).isEqualTo(i <= 300 ? "ALREADY_GRANTED" : "WOULD_GRANT");
        }

        // the dry run wrote nothing to the ledger: the real run lists again, then calls exactly the 200
        Result real = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "200");
        assertThat(real.exitCode()).as(real.all()).isZero();
        assertThat(mturk.requestCount(LIST)).isEqualTo(8);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(200);

        Result misuse = granter.grant("--input", input.toString(), "--plan-against-service");
        assertThat(misuse.exitCode()).isEqualTo(2);
        assertThat(misuse.err()).contains("--plan-against-service goes with --dry-run");
    }

    private static String[] append(String[] command, String... more) {
        String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }
}
