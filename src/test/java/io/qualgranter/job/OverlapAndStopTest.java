package io.qualgranter.job;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.qualgranter.testsupport.ChildGranter;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in progress in another process (a child JVM, held inside a call by FakeMTurk): a second run
 * of the same file, a run of another file on the same H2 job repository, and {@code abandon} all exit
 * 4 naming it; SIGTERM then stops it gracefully (the call in flight finishes and is recorded, no new
 * call, STOPPED, exit 1) and the same command resumes it.
 */
class OverlapAndStopTest {

    static final String TYPE = "3OVERLAPTYPE00000000000000001";

    @TempDir
    Path dir;

    FakeMTurk mturk;
    ChildGranter.Run first;
    final CountDownLatch inFlight = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Overlap type", "Active", true);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (first != null && first.alive()) {
            first.kill();
        }
        mturk.close();
    }

    @Test
    void secondRunExitsFourNamingTheFirstAndSigtermStopsItResumably() throws Exception {
        Path home = dir.resolve("home");
        List<String> lines = new ArrayList<>(List.of("WorkerId,IntegerValue"));
        for (int i = 1; i <= 10; i++) {
            lines.add(String.format("A1OVER%04d,%d", i, i));
        }
        Path input = Files.write(dir.resolve("overlap.csv"), lines);
        // one call at a time, so that "the third call" is a moment in the run (calls overlap otherwise)
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--send-notification",
                "--rate", "500", "--concurrency", "1"};
        mturk.onAssociate(call -> {
            if (call.workerId().equals("A1OVER0003")) {
                inFlight.countDown();
                await(release);
            }
            return Optional.empty();
        });
        first = new ChildGranter(home).with("granter.chunk-size", "5").grant(mturk, command);
        assertThat(inFlight.await(90, TimeUnit.SECONDS)).as("the first run reached its third call").isTrue();

        GranterCli cli = new GranterCli(home);
        Result same = cli.grant(mturk, command);
        assertThat(same.exitCode()).as(same.all()).isEqualTo(4);
        assertThat(same.err()).contains("another run is in progress").contains("pid " + first.pid())
                .contains("on host ").contains("started ").contains("overlap.csv").doesNotContain("Exception");
        long executionId = executionIdIn(same.err());

        Path other = csv(dir, "other.csv", "WorkerId,IntegerValue", "A1OTHER0001,1");
        Result different = cli.grant(mturk, "--input", other.toString(), "--qualification-type-id", TYPE);
        assertThat(different.exitCode()).as(different.all()).isEqualTo(4);
        assertThat(different.err()).contains("execution " + executionId).contains("pid " + first.pid());

        Result abandon = cli.run("abandon", "--execution-id", Long.toString(executionId));
        assertThat(abandon.exitCode()).as(abandon.all()).isEqualTo(4);

        Result during = cli.run("status");
        assertThat(during.out()).contains("STARTED").contains("in progress on host");

        first.terminate();
        awaitLogLine(home.resolve("logs/granter.log"), "Stop requested (SIGTERM)");
        release.countDown();
        Result stopped = first.awaitExit(60);

        assertThat(stopped.exitCode()).as(stopped.all()).isEqualTo(1);
        assertThat(stopped.err()).contains("run the same command to resume").doesNotContain("Exception");
        assertThat(mturk.associateCalls()).as("no call after the stop request").hasSize(3);
        assertThat(mturk.grants()).hasSize(3);
        assertThat(cli.run("status").out()).contains("STOPPED");

        mturk.onAssociate(null);
        Result resumed = cli.grant(mturk, command);

        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(mturk.grants()).hasSize(10);
        for (int i = 1; i <= 10; i++) {
            String worker = String.format("A1OVER%04d", i);
            assertThat(mturk.associateCount(TYPE, worker)).as(worker).isEqualTo(1);
            assertThat(mturk.notificationsSent(worker)).as(worker).isEqualTo(1);
        }
        assertThat(ReportFile.read(dir.resolve("overlap.report.csv")).outcomes()).hasSize(10)
                .allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
    }

    private static long executionIdIn(String message) {
        Matcher m = Pattern.compile("execution (\\d+)").matcher(message);
        assertThat(m.find()).as(message).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void awaitLogLine(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + text + "\" in " + log);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
