package io.qualgranter.job;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.qualgranter.testsupport.ChildGranter;
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
 * Several hosts, one PostgreSQL job repository: two processes started at the same moment on the
 * same input (each with a $GRANTER_HOME of its own, as on two hosts) against a fresh database:
 * exactly one runs, the other exits 4; the runner is killed (-9) mid-file and the other resumes;
 * and a later run of a grown file calls only for the new rows (the ledger in PostgreSQL).
 */
class SeveralHostsPostgresTest {

    static final String TYPE = "3HOSTSTYPE0000000000000000001";
    static final int ROWS = 30;

    @TempDir
    Path dir;

    FakeMTurk mturk;
    PostgresDatabase database;
    final List<ChildGranter.Run> children = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Hosts type", "Active", true);
        database = PostgresDatabase.create("hosts");
    }

    @AfterEach
    void stop() {
        children.stream().filter(ChildGranter.Run::alive).forEach(ChildGranter.Run::kill);
        mturk.close();
        database.close();
    }

    @Test
    void twoHostsAtOnceExactlyOneRunsAndAfterItsKillTheOtherResumes() throws Exception {
        Path input = rows("shared.csv", ROWS);
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "500"};
        // the first call waits until one of the two has given up; the 15th call's answer is lost: kill -9
        mturk.onAssociate(call -> {
            if (call.sequence() == 1) {
                awaitOneExit();
            }
            if (call.sequence() == 15) {
                children.stream().filter(ChildGranter.Run::alive).forEach(ChildGranter.Run::kill);
            }
            return Optional.empty();
        });

        ChildGranter.Run hostA = host("a").grant(mturk, command);
        ChildGranter.Run hostB = host("b").grant(mturk, command);
        children.addAll(List.of(hostA, hostB));
        Result a = hostA.awaitExit(180);
        Result b = hostB.awaitExit(180);

        assertThat(List.of(a.exitCode(), b.exitCode())).as("A: %s%nB: %s", a.all(), b.all())
                .containsExactlyInAnyOrder(4, 137);
        Result loser = a.exitCode() == 4 ? a : b;
        assertThat(loser.err()).contains("in progress").doesNotContain("Exception");
        assertThat(mturk.associateCalls()).hasSize(15);

        mturk.onAssociate(null);
        String resumingHost = a.exitCode() == 4 ? "a" : "b";
        Result resumed = database.cli(dir.resolve("host-" + resumingHost)).grant(mturk, command);

        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(mturk.grants()).hasSize(ROWS);
        for (int i = 1; i <= ROWS; i++) {
            assertThat(mturk.associateCount(TYPE, worker(i))).as(worker(i)).isEqualTo(1);
            assertThat(mturk.grants()).containsEntry(new Key(TYPE, worker(i)), i);
        }
        ReportFile report = ReportFile.read(dir.resolve("shared.report.csv"));
        // the run's state is in the database: the other home reports the first host's grants as this run's
        assertThat(report.outcomes()).hasSize(ROWS)
                .allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
    }

    @Test
    void aRunWhoseGrantsEndedOnOneHostHasItsReportWrittenFromAnotherHome() throws Exception {
        Path input = rows("two-homes.csv", 12);
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "500"};
        Path marker = dir.resolve("report-reached");
        ChildGranter.Run hostA = host("a")
                .with("logging.config", "classpath:logback-pause.xml")
                .with("pause.on", "Writing the report")
                .with("pause.marker", marker.toString())
                .grant(mturk, command);
        children.add(hostA);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!java.nio.file.Files.exists(marker) && hostA.alive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(marker).as("host A reached the report step").exists();
        hostA.kill();
        assertThat(hostA.awaitExit(10).exitCode()).isEqualTo(137);

        Result resumed = database.cli(dir.resolve("host-b")).grant(mturk, command);

        assertThat(resumed.exitCode()).as(resumed.all()).isZero();
        assertThat(mturk.associateCalls()).hasSize(12);
        assertThat(ReportFile.read(dir.resolve("two-homes.report.csv")).outcomes()).hasSize(12)
                .allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
    }

    /**
     * Issue 13: a live run on host A (UTC) is not taken over by the same command from host B (another
     * host name, Tokyo time) on the same PostgreSQL database: B exits 4 naming A, A finishes alone.
     */
    @Test
    void aLiveRunIsNotTakenOverFromAnotherHostInAnotherTimeZone() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(canUnshare(), "needs root and unshare --uts for a second host name");
        Path input = rows("tz.csv", 20);
        String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "4"};
        // A's answers from its 4th call on are held until B has exited: A is live whenever B looks, however slowly B starts
        CountDownLatch bExited = new CountDownLatch(1);
        mturk.holdAssociateAnswersFrom(4, bExited);
        ChildGranter.Run hostA = host("a").with("user.timezone", "UTC").onHost("granter-host-a").grant(mturk, command);
        children.add(hostA);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (mturk.associateCalls().size() < 3 && hostA.alive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(mturk.associateCalls()).as("host A is granting").hasSizeGreaterThanOrEqualTo(3);

        long bLaunched = System.nanoTime();
        ChildGranter.Run hostB = host("b").with("user.timezone", "Asia/Tokyo").onHost("granter-host-b").grant(mturk, command);
        children.add(hostB);
        Result b = hostB.awaitExit(120);
        long bSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - bLaunched);
        bExited.countDown();
        Result a = hostA.awaitExit(180);

        assertThat(b.exitCode()).as("B: %s", b.all()).isEqualTo(4);
        // A's chunk waits for its answers with its transaction open; B's start must not wait for that
        // transaction (A's calls would time out after 60 s: B would answer only then)
        assertThat(bSeconds).as("seconds B took to say a run is in progress").isLessThan(40);
        assertThat(b.err()).contains("granter-host-a").doesNotContain("Exception");
        assertThat(a.exitCode()).as("A: %s", a.all()).isZero();
        for (int i = 1; i <= 20; i++) {
            assertThat(mturk.associateCount(TYPE, worker(i))).as(worker(i)).isEqualTo(1);
        }
    }

    /**
     * Issue 13: two files that share 50 workers, run at once on two hosts (two runs, two leases), the
     * shared workers in opposite orders so that the runs meet half-way: each waits for the pairs the
     * other holds, then finds them granted; no pair is called for (nor mailed) twice.
     */
    @Test
    void overlappingRunsOfTwoFilesThatShareWorkersNeverBothCallForAPair() throws Exception {
        Path big = rows("big.csv", 110);    // workers 1-110
        String[] smallLines = new String[51]; // workers 50 down to 1, the same values: the runs meet half-way
        smallLines[0] = "WorkerId,IntegerValue";
        for (int line = 1; line <= 50; line++) {
            smallLines[line] = worker(51 - line) + "," + (51 - line);
        }
        Path small = csv(dir, "small.csv", smallLines);
        mturk.serviceTime(java.time.Duration.ofMillis(20));
        ChildGranter.Run slow = host("a").grant(mturk, "--input", big.toString(), "--qualification-type-id", TYPE,
                "--rate", "4", "--send-notification");
        children.add(slow);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (mturk.associateCalls().size() < 5 && slow.alive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ChildGranter.Run quick = host("b").grant(mturk, "--input", small.toString(), "--qualification-type-id", TYPE,
                "--rate", "200", "--send-notification");
        children.add(quick);
        Result b = quick.awaitExit(180);
        Result a = slow.awaitExit(180);

        assertThat(a.exitCode()).as("A: %s", a.all()).isZero();
        assertThat(b.exitCode()).as("B: %s", b.all()).isZero();
        for (int i = 1; i <= 110; i++) {
            assertThat(mturk.associateCount(TYPE, worker(i))).as("calls for %s", worker(i)).isEqualTo(1);
            assertThat(mturk.notificationsSent(worker(i))).as("mails to %s", worker(i)).isEqualTo(1);
            assertThat(mturk.grants()).containsEntry(new Key(TYPE, worker(i)), i);
        }
        Map<Long, String> bigOutcomes = ReportFile.read(dir.resolve("big.report.csv")).outcomes();
        Map<Long, String> smallOutcomes = ReportFile.read(dir.resolve("small.report.csv")).outcomes();
        assertThat(bigOutcomes).hasSize(110);
        assertThat(smallOutcomes).hasSize(50);
        int grantedByQuick = 0;
        for (int w = 1; w <= 50; w++) { // a shared worker: GRANTED by exactly one of the two runs
            String inSmall = smallOutcomes.get(52L - w);
            assertThat(List.of(bigOutcomes.get(w + 1L), inSmall)).as(worker(w)).containsExactlyInAnyOrder("GRANTED",
                    "ALREADY_GRANTED");
            grantedByQuick += "GRANTED".equals(inSmall) ? 1 : 0;
        }
        for (long line = 52; line <= 111; line++) {
            assertThat(bigOutcomes.get(line)).as("line %d", line).isEqualTo("GRANTED");
        }
        assertThat(grantedByQuick).as("both runs granted some shared workers: %s%n%s", smallOutcomes, b.all()).isPositive().isLessThan(50);
    }

    /**
     * Issue 13: host A is cut off from the job repository while it grants (its role may no longer log in,
     * its connections are killed with pg_terminate_backend) but not from MTurk. It sends nothing more
     * (fenced sends); host B takes the run over once A's lease is stale and finishes it; when A can reach
     * the database again it finds its lease gone and stops with one line. No pair is called twice.
     */
    @Test
    void aHostCutOffFromTheDatabaseSendsNothingMoreAndAnotherHostFinishesTheRun() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(canUnshare(), "needs root and unshare --uts for a second host name");
        String role = "granter_cut_" + Long.toHexString(System.nanoTime());
        admin("CREATE ROLE " + role + " LOGIN SUPERUSER");
        try {
            Path input = rows("cut.csv", 40);
            String[] command = {"--input", input.toString(), "--qualification-type-id", TYPE, "--send-notification"};
            ChildGranter.Run hostA = withShortLease(host("a")).onHost("granter-host-a")
                    .with("spring.datasource.username", role).grant(mturk, append(command, "--rate", "5"));
            children.add(hostA);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (mturk.associateCalls().size() < 8 && hostA.alive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(mturk.associateCalls()).as("host A is granting").hasSizeGreaterThanOrEqualTo(8);

            admin("ALTER ROLE " + role + " NOLOGIN");
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            int sentBeforeTheCut = mturk.associateCalls().size();
            Thread.sleep(4_000); // past A's lease timeout (3 s) with no heartbeat
            int sentByA = mturk.associateCalls().size();
            assertThat(sentByA - sentBeforeTheCut).as("at most the chunk in flight").isLessThanOrEqualTo(5);

            Result b = withShortLease(host("b")).onHost("granter-host-b").grant(mturk, append(command, "--rate", "50"))
                    .awaitExit(180);
            admin("ALTER ROLE " + role + " LOGIN");
            Result a = hostA.awaitExit(120);

            assertThat(b.exitCode()).as("B: %s", b.all()).isZero();
            assertThat(a.exitCode()).as("A: %s", a.all()).isEqualTo(1);
            assertThat(a.err().strip()).as(a.all()).doesNotContain("\n").doesNotContain("Exception");
            for (int i = 1; i <= 40; i++) {
                assertThat(mturk.associateCount(TYPE, worker(i))).as("calls for %s", worker(i)).isEqualTo(1);
                assertThat(mturk.notificationsSent(worker(i))).as("mails to %s", worker(i)).isEqualTo(1);
                assertThat(mturk.grants()).containsEntry(new Key(TYPE, worker(i)), i);
            }
            assertThat(ReportFile.read(dir.resolve("cut.report.csv")).outcomes()).hasSize(40)
                    .allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
        } finally {
            admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            children.stream().filter(ChildGranter.Run::alive).forEach(ChildGranter.Run::kill);
            admin("REASSIGN OWNED BY " + role + " TO postgres");
            admin("DROP ROLE " + role);
        }
    }

    private static ChildGranter withShortLease(ChildGranter child) {
        return child.with("granter.lease.heartbeat", "500ms").with("granter.lease.timeout", "3s")
                .with("spring.datasource.hikari.connection-timeout", "2000");
    }

    private static String[] append(String[] command, String... more) {
        String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }

    private void admin(String sql) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database.url(), "postgres", "");
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean canUnshare() {
        try {
            return new ProcessBuilder("unshare", "--uts", "true").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aGrownFileCallsOnlyForItsNewRows() {
        GranterCli cli = database.cli(dir.resolve("home"));
        Result first = cli.grant(mturk, "--input", rows("day1.csv", 12).toString(), "--qualification-type-id", TYPE,
                "--rate", "500");
        assertThat(first.exitCode()).as(first.all()).isZero();

        Result second = database.cli(dir.resolve("other-host")).grant(mturk, "--input", rows("day2.csv", 20).toString(),
                "--qualification-type-id", TYPE, "--rate", "500");

        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(mturk.associateCalls()).hasSize(20);
        Map<Long, String> outcomes = ReportFile.read(dir.resolve("day2.report.csv")).outcomes();
        assertThat(outcomes.values().stream().filter("ALREADY_GRANTED"::equals).count()).isEqualTo(12);
        assertThat(outcomes.values().stream().filter("GRANTED"::equals).count()).isEqualTo(8);
    }

    private ChildGranter host(String name) {
        return new ChildGranter(dir.resolve("host-" + name))
                .with("spring.profiles.active", "postgres")
                .with("spring.datasource.url", database.url())
                .with("spring.datasource.username", database.user())
                .with("granter.chunk-size", "5");
    }

    private void awaitOneExit() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (children.stream().allMatch(ChildGranter.Run::alive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Path rows(String name, int count) {
        String[] lines = new String[count + 1];
        lines[0] = "WorkerId,IntegerValue";
        for (int i = 1; i <= count; i++) {
            lines[i] = worker(i) + "," + i;
        }
        return csv(dir, name, lines);
    }

    private static String worker(int i) {
        return String.format("A1HOST%04d", i);
    }
}
