package io.qualgranter.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.qualgranter.testsupport.ChildGranter;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 anywhere, run the same command, nothing lost and nothing done twice: the real command line
 * in a child JVM, killed with SIGKILL during the first chunk, mid-file, during the last chunk and
 * during the final report, each time rerun with the same command, against the loopback MTurk.
 *
 * <p>The kills are deterministic: FakeMTurk's hook kills the child while it waits for the answer to
 * a given worker's call (the grant is then applied, its answer lost: the row is in doubt); for the
 * report kill, a test Logback appender holds the child at the report step's "Writing the report"
 * line (its temporary report file already open) until the test has killed it.
 */
class CrashSafeRerunTest {

    static final String TYPE = "3CRASHTYPE0000000000000000001";
    static final int ROWS = 23;
    static final int CHUNK = 5;

    @TempDir
    Path dir;

    FakeMTurk mturk;
    ChildGranter child;
    final AtomicReference<ChildGranter.Run> running = new AtomicReference<>();

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Crash type", "Active", true);
        child = new ChildGranter(dir.resolve("home")).with("granter.chunk-size", Integer.toString(CHUNK));
    }

    @AfterEach
    void stop() {
        ChildGranter.Run run = running.get();
        if (run != null && run.alive()) {
            run.kill();
        }
        mturk.close();
    }

    @Test
    void killedAnywhereAndRerunGrantsEveryRowExactlyOnceAndNotifiesNobodyTwice() throws Exception {
        Path input = dir.resolve("workers.csv");
        Path report = dir.resolve("workers.report.csv");
        Map<Key, Integer> expected = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(List.of("WorkerId,QualificationTypeId,IntegerValue"));
        for (int i = 1; i <= ROWS; i++) {
            lines.add(worker(i) + "," + TYPE + "," + (i * 3));
            expected.put(new Key(TYPE, worker(i)), i * 3);
        }
        Files.write(input, lines);
        String[] command = {"--input", input.toString(), "--report", report.toString(), "--send-notification",
                "--rate", "500"};

        // 1. during the first chunk (row 2 of 5), 2. mid-file (row 12), 3. during the last chunk (row 22)
        for (int killAt : new int[] {2, 12, 22}) {
            killWhenCalled(worker(killAt));
            Result killed = startAndWait(command);
            assertThat(killed.exitCode()).as("killed at %s: %s", worker(killAt), killed.all()).isEqualTo(137);
            assertThat(mturk.grants()).containsKey(new Key(TYPE, worker(killAt)));
        }
        mturk.onAssociate(null);

        // 4. during the final report: the child is held at the report step's "Writing the report" log line
        Path marker = dir.resolve("report-reached");
        ChildGranter.Run reporting = new ChildGranter(dir.resolve("home"))
                .with("granter.chunk-size", Integer.toString(CHUNK))
                .with("logging.config", "classpath:logback-pause.xml")
                .with("pause.on", "Writing the report")
                .with("pause.marker", marker.toString())
                .grant(mturk, command);
        running.set(reporting);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(marker) && reporting.alive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(marker).as("the child reached the report step").exists();
        assertThat(mturk.grants()).as("all calls were made before the report step").isEqualTo(expected);
        reporting.kill();
        assertThat(reporting.awaitExit(10).exitCode()).isEqualTo(137);

        // 5. the same command once more (in this JVM, to save a JVM start): it recovers the dead run and finishes
        GranterCli cli = new GranterCli(dir.resolve("home")).with("granter.chunk-size", Integer.toString(CHUNK));
        Result last = cli.grant(mturk, command);

        assertThat(last.exitCode()).as(last.all()).isZero();
        assertThat(mturk.grants()).isEqualTo(expected);
        for (Key key : expected.keySet()) {
            assertThat(mturk.associateCount(key.qualificationTypeId(), key.workerId()))
                    .as("AssociateQualificationWithWorker calls for %s in %s", key.workerId(),
                            mturk.associateCalls().stream().map(c -> c.sequence() + ":" + c.workerId()).toList())
                    .isEqualTo(1);
            assertThat(mturk.notificationsSent(key.workerId())).as("notifications to %s", key.workerId()).isEqualTo(1);
        }
        ReportFile rows = ReportFile.read(report);
        assertThat(rows.outcomes()).hasSize(ROWS).allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
        // the rows a killed chunk had sent were confirmed by GetQualificationScore, not sent again
        long confirmed = rows.rowsByLine().values().stream().filter(r -> r.get(5).equals("confirmed after restart")).count();
        assertThat(confirmed).isGreaterThanOrEqualTo(3);
        assertThat(mturk.requestCount("GetQualificationScore")).isBetween((int) confirmed, 3 * CHUNK);

        Result status = cli.run("status");
        assertThat(status.out()).contains("recovered: the process that ran it is gone").contains("COMPLETED");
    }

    private Result startAndWait(String... command) {
        ChildGranter.Run run = child.grant(mturk, command);
        running.set(run);
        return run.awaitExit(120);
    }

    /** The child is killed while it waits for the answer to this worker's call, which is then applied. */
    private void killWhenCalled(String workerId) {
        mturk.onAssociate(call -> {
            if (call.workerId().equals(workerId)) {
                ChildGranter.Run run = running.get();
                if (run != null) {
                    run.kill();
                }
            }
            return Optional.empty();
        });
    }

    private static String worker(int i) {
        return String.format("A1CRASH%04d", i);
    }
}
