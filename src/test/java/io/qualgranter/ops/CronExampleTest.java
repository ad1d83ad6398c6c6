package io.qualgranter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/cron/granter-cron}, run by bash as cron would: while one run holds the lock, a second
 * start is a clean skip (exit 0, nothing printed, one "skipped" line in the log) and never starts
 * the launcher; the run's own exit code and output end up in the dated log.
 */
class CronExampleTest {

    static final Path WRAPPER = Path.of("ops/cron/granter-cron").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void overlappingStartIsSkippedCleanlyWhileTheFirstRunHoldsTheLock() throws Exception {
        // Stands in for ops/granter: records each start, then waits (at most 20 s) to be released.
        Path launcher = script("launcher", """
                #!/usr/bin/env bash
                echo "started $*" >> "%1$s/starts"
                for _ in $(seq 1 200); do [ -f "%1$s/release" ] && break; sleep 0.1; done
                echo "granted things"
                exit 3
                """.formatted(dir));

        Process first = start(launcher, "grant", "--input", "first.csv");
        waitFor(() -> Files.exists(dir.resolve("starts")), "the first run to start");

        Process second = start(launcher, "grant", "--input", "second.csv");
        assertThat(second.waitFor(10, TimeUnit.SECONDS)).as("the overlapping start returns at once").isTrue();
        assertThat(second.exitValue()).isZero();
        assertThat(new String(second.getInputStream().readAllBytes())).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("starts"))).containsExactly("started grant --input first.csv");
        assertThat(first.isAlive()).isTrue();

        Files.createFile(dir.resolve("release"));
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("the run's own exit code").isEqualTo(3);
        assertThat(new String(first.getInputStream().readAllBytes())).contains("the run exited 3");

        List<String> log = Files.readAllLines(dir.resolve("home/logs/cron/granter-" + LocalDate.now() + ".log"));
        assertThat(log).anySatisfy(line -> assertThat(line).contains("start: grant --input first.csv"));
        assertThat(log).filteredOn(line -> line.contains("skipped: the previous run still holds")).hasSize(1);
        assertThat(log).contains("granted things");
        assertThat(log).anySatisfy(line -> assertThat(line).endsWith("end: exit 3"));

        Process third = start(launcher, "grant", "--input", "third.csv"); // the lock is free again
        assertThat(third.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(dir.resolve("starts"))).hasSize(2);
    }

    private Process start(Path launcher, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", WRAPPER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GRANTER", launcher.toString());
        builder.environment().put("GRANTER_HOME", dir.resolve("home").toString());
        return builder.start();
    }

    private Path script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
