package io.qualgranter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.qualgranter.cli.Main;

/**
 * Runs the real command line in a child JVM (the test classpath, {@code cli.Main}), with its own
 * $GRANTER_HOME and the same credentials and fast retries as {@link GranterCli}, so that a test can
 * kill it (SIGKILL) or stop it (SIGTERM) as an operator or a dying host would.
 */
public final class ChildGranter {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** One started child. */
    public static final class Run {
        private final Process process;
        private final Path out;
        private final Path err;

        private Run(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public long pid() {
            return process.pid();
        }

        /** SIGKILL, and wait until the process is gone. */
        public void kill() {
            process.destroyForcibly();
            awaitExit(30);
        }

        /** SIGTERM (what systemd, docker stop or kill send). */
        public void terminate() {
            process.destroy();
        }

        /** Waits for the end (at most {@code seconds}) and answers what the process left behind. */
        public GranterCli.Result awaitExit(int seconds) {
            try {
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("the child granter did not end within " + seconds + " s: " + read(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new GranterCli.Result(process.exitValue(), read(out), read(err));
        }

        public boolean alive() {
            return process.isAlive();
        }
    }

    private final Path home;
    private final List<String> settings = new ArrayList<>();
    private List<String> prefix = List.of();
    private Path output;

    public ChildGranter(Path home) {
        this.home = home;
        with("granter.retry.base-delay", "5ms");
        with("granter.retry.max-delay", "20ms");
        with("granter.retry.max-attempts", "3");
        with("granter.chunk-seconds", "0"); // chunks of granter.chunk-size rows, as tests set them
    }

    /** Where the child's stdout and stderr files go (default: its $GRANTER_HOME), e.g. when the home may fill up. */
    public ChildGranter outputIn(Path directory) {
        output = directory;
        return this;
    }

    /** Runs the child under its own host name (a UTS namespace of its own: needs root and unshare). */
    public ChildGranter onHost(String hostName) {
        prefix = List.of("unshare", "--uts", "sh", "-c", "hostname " + hostName + " && exec \"$0\" \"$@\"");
        return this;
    }

    public ChildGranter with(String property, String value) {
        settings.add("-D" + property + "=" + value);
        return this;
    }

    /** Starts {@code grant --endpoint-url <fake> args...}. */
    public Run grant(FakeMTurk mturk, String... args) {
        List<String> all = new ArrayList<>(List.of("grant", "--endpoint-url", mturk.endpoint().toString()));
        all.addAll(List.of(args));
        return start(all);
    }

    public Run start(List<String> args) {
        try {
            Path where = output == null ? home : output;
            Files.createDirectories(where);
            int n = COUNTER.incrementAndGet();
            Path out = where.resolve("child-" + n + ".out");
            Path err = where.resolve("child-" + n + ".err");
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx256m",
                    "-cp", classpath(),
                    "-Dgranter.home=" + home,
                    "-Daws.accessKeyId=" + GranterCli.ACCESS_KEY,
                    "-Daws.secretAccessKey=" + GranterCli.SECRET_KEY));
            command.addAll(settings);
            command.add(Main.class.getName());
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Run(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
