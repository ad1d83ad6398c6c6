package io.qualgranter.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.qualgranter.testsupport.ChildGranter;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the machine misbehaves (issue 17): a $GRANTER_HOME that fills up mid-run or is read-only, a
 * report path in a missing directory, the PostgreSQL job repository lost under a run. Each ends with
 * one line naming the cause and the fix, the right exit code, no stack trace or vendor error code on
 * the terminal, and the same command after the fix finishes the file with every row granted once.
 *
 * <p>The small and read-only filesystems are tmpfs mounts (this needs root; elsewhere those tests are
 * skipped, saying why).
 */
class EnvironmentFaultsTest {

    static final String TYPE = "3ENVFAULTTYPE00000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Environment type");

    private final List<Path> mounts = new ArrayList<>();
    private ChildGranter.Run running;

    @AfterEach
    void cleanUp() throws Exception {
        if (running != null && running.alive()) {
            running.kill();
        }
        for (Path mount : mounts) {
            shell("umount", "-l", mount.toString());
        }
    }

    @Test
    void aHomeThatFillsUpMidRunEndsWithNoSpaceLeftAndTheRerunAfterFreeingSpaceFinishesOnce() throws Exception {
        Path fs = mountTmpfs("6m");
        Path home = fs.resolve("home");
        Path filler = fs.resolve("filler");
        int rows = 800;
        Path input = input(rows);
        FakeMTurk mturk = granter.mturk();
        mturk.onAssociate(call -> {
            if (call.sequence() == 200) {
                fill(filler); // the disk fills up a quarter of the way through
            }
            return Optional.empty();
        });
        ChildGranter child = new ChildGranter(home).outputIn(dir.resolve("out")).with("granter.chunk-size", "20");
        String[] command = {"--input", input.toString(), "--report", dir.resolve("report.csv").toString(), "--rate", "2000"};

        running = child.grant(mturk, command);
        Result full = running.awaitExit(240);

        assertThat(full.exitCode()).as(full.all()).isEqualTo(ExitCodes.RESUMABLE);
        assertOneLine(full, "granter: no space left on " + home.toAbsolutePath()
                + " (the job repository and logs live there): free space, then run the same command to resume");
        assertThat(mturk.grants()).as("some rows were granted before the disk filled").isNotEmpty().hasSizeLessThan(rows);

        mturk.onAssociate(call -> Optional.empty());
        Files.delete(filler);
        running = child.grant(mturk, command);
        Result rerun = running.awaitExit(240);

        assertThat(rerun.exitCode()).as(rerun.all()).isEqualTo(ExitCodes.DONE);
        assertEveryRowGrantedOnce(rows);
    }

    @Test
    void aReadOnlyHomeIsSaidInOneLineWithExit2AndNothingIsSent() throws Exception {
        Path fs = mountTmpfs("6m");
        Path home = fs.resolve("home");
        Files.createDirectories(home);
        shell("mount", "-o", "remount,ro", fs.toString());
        Path input = input(30);
        GranterCli cli = new GranterCli(home);

        Result readOnly = cli.grant(granter.mturk(), "--input", input.toString());

        assertThat(readOnly.exitCode()).as(readOnly.all()).isEqualTo(ExitCodes.NOTHING_SENT);
        assertOneLine(readOnly, "granter: $GRANTER_HOME " + home.toAbsolutePath() + " is on a read-only filesystem"
                + " (the job repository and logs live there): set GRANTER_HOME to a writable directory, or remount it"
                + " read-write, then run the same command; nothing was sent");
        assertThat(granter.mturk().totalRequests()).isZero();

        shell("mount", "-o", "remount,rw", fs.toString());
        Result rerun = cli.grant(granter.mturk(), "--input", input.toString());

        assertThat(rerun.exitCode()).as(rerun.all()).isEqualTo(ExitCodes.DONE);
        assertEveryRowGrantedOnce(30);
    }

    @Test
    void aReportInAMissingDirectoryIsRefusedBeforeAnyCall() throws Exception {
        Path input = input(12);
        Path report = dir.resolve("no-such-dir").resolve("report.csv");

        Result refused = granter.grant("--input", input.toString(), "--report", report.toString());

        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCodes.NOTHING_SENT);
        assertOneLine(refused, "granter: cannot write the report " + report.toAbsolutePath() + " (directory "
                + report.getParent().toAbsolutePath() + " does not exist): create it, or give --report a path in an"
                + " existing directory; nothing was sent");
        assertThat(granter.mturk().totalRequests()).isZero();

        Files.createDirectories(report.getParent());
        Result rerun = granter.grant("--input", input.toString(), "--report", report.toString());

        assertThat(rerun.exitCode()).as(rerun.all()).isEqualTo(ExitCodes.DONE);
        assertThat(report).exists();
        assertEveryRowGrantedOnce(12);
    }

    @Test
    void aPostgresRepositoryLostUnderTheRunSaysSoWithExit1AndTheRerunFinishesOnce() throws Exception {
        int rows = 300;
        Path input = input(rows);
        try (PostgresDatabase database = PostgresDatabase.create("envfault")) {
            FakeMTurk mturk = granter.mturk();
            mturk.onAssociate(call -> {
                if (call.sequence() == 100) {
                    // the database goes away: no new connections, every backend of the run terminated
                    admin("ALTER DATABASE " + database.name() + " WITH ALLOW_CONNECTIONS false",
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database.name() + "'");
                }
                return Optional.empty();
            });
            ChildGranter child = new ChildGranter(dir.resolve("home")).with("granter.chunk-size", "10")
                    .with("spring.profiles.active", "postgres")
                    .with("spring.datasource.url", database.url())
                    .with("spring.datasource.username", database.user())
                    .with("spring.datasource.hikari.connection-timeout", "3000");
            String[] command = {"--input", input.toString(), "--rate", "500"};

            running = child.grant(mturk, command);
            Result lost = running.awaitExit(240);

            assertThat(lost.exitCode()).as(lost.all()).isEqualTo(ExitCodes.RESUMABLE);
            assertOneLine(lost, "granter: lost the connection to the job repository (details in the log): check that"
                    + " the database is up and reachable, then run the same command to resume");
            assertThat(lost.all()).doesNotContain("Hikari", "PSQL", "SQLState");
            assertThat(mturk.grants()).hasSizeLessThan(rows);

            mturk.onAssociate(call -> Optional.empty());
            admin("ALTER DATABASE " + database.name() + " WITH ALLOW_CONNECTIONS true");
            running = child.grant(mturk, command);
            Result rerun = running.awaitExit(240);

            assertThat(rerun.exitCode()).as(rerun.all()).isEqualTo(ExitCodes.DONE);
            assertEveryRowGrantedOnce(rows);
        }
    }

    @Test
    void aRepositoryFileThatIsNotAnH2DatabaseIsSaidInOneLineWithExit2() throws Exception {
        Path input = input(5);
        Path home = granter.cli().home();
        Files.createDirectories(home);
        Files.writeString(home.resolve("jobrepo.mv.db"), "this is a spreadsheet, not a database\n".repeat(50));

        Result refused = granter.grant("--input", input.toString());

        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCodes.NOTHING_SENT);
        assertOneLine(refused, "granter: the job repository file under " + home.toAbsolutePath() + " is not an H2"
                + " database (or is damaged): move it aside or restore it from a backup, or set GRANTER_HOME to"
                + " another directory, then run the same command; nothing was sent");
        assertThat(granter.mturk().totalRequests()).isZero();
    }

    @Test
    void aLogFileThatCannotBeWrittenIsSaidOnceAndTheRunGoesOn() throws Exception {
        Path input = input(8);
        Path home = granter.cli().home();
        Files.createDirectories(home);
        Files.writeString(home.resolve("logs"), "a file where the log directory should be");

        Result done = granter.grant("--input", input.toString());

        assertThat(done.exitCode()).as(done.all()).isEqualTo(ExitCodes.DONE);
        assertThat(done.err().lines().filter(l -> l.contains("log file")).toList()).as(done.all())
                .containsExactly("granter: cannot write the log file " + home.toAbsolutePath().resolve("logs/granter.log")
                        + " (a file is where its directory should be); the run's details are not in the log");
        assertNoStackTrace(done);
        assertEveryRowGrantedOnce(8);
    }

    private void assertOneLine(Result result, String line) {
        assertThat(result.err().lines().filter(l -> l.startsWith("granter: ")).toList()).as(result.all()).containsExactly(line);
        assertNoStackTrace(result);
    }

    private static void assertNoStackTrace(Result result) {
        assertThat(result.all()).as(result.all())
                .doesNotContain("\tat ", "Exception", "Caused by", "|-ERROR", "|-WARN")
                .doesNotContainPattern("\\[\\d{5}-\\d+\\]");
    }

    private void assertEveryRowGrantedOnce(int rows) {
        FakeMTurk mturk = granter.mturk();
        for (int i = 1; i <= rows; i++) {
            assertThat(mturk.associateCount(TYPE, worker(i))).as("calls for " + worker(i)).isEqualTo(1);
        }
        assertThat(mturk.grants()).hasSize(rows);
    }

    private Path input(int rows) throws IOException {
        List<String> lines = new ArrayList<>(List.of("WorkerId,QualificationTypeId,IntegerValue"));
        for (int i = 1; i <= rows; i++) {
            lines.add(worker(i) + "," + TYPE + ",1");
        }
        Path input = dir.resolve("workers.csv");
        Files.write(input, lines);
        return input;
    }

    private static String worker(int i) {
        return String.format("AENVFAULT%06d", i);
    }

    private Path mountTmpfs(String size) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("fs"));
        int code = shell("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString());
        Assumptions.assumeTrue(code == 0, "cannot mount a tmpfs here (needs root): the small and read-only"
                + " filesystem cases are not tested on this machine");
        mounts.add(0, mount);
        return mount;
    }

    private static void fill(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left: as wanted
        }
    }

    private static int shell(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private static void admin(String... statements) {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
