package io.qualgranter.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.qualgranter.cli.Main;

/**
 * Runs the real command line in a child JVM of its own (heap limits, kill -9, several processes at
 * once), with its own $GRANTER_HOME, test AWS credentials and Spring properties as system properties.
 */
public final class ChildGranter {

    /** What the child left behind. */
    public record Result(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private final Path home;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    public ChildGranter(Path home) {
        this.home = home;
        properties.put("granter.home", home.toString());
        properties.put("aws.accessKeyId", GranterCli.ACCESS_KEY);
        properties.put("aws.secretAccessKey", GranterCli.SECRET_KEY);
    }

    public ChildGranter jvm(String option) {
        jvmOptions.add(option);
        return this;
    }

    public ChildGranter with(String property, String value) {
        properties.put(property, value);
        return this;
    }

    /** Starts the command; stdout and stderr go to files in $GRANTER_HOME. */
    public Process start(String name, String... args) {
        try {
            Files.createDirectories(home);
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command()
                    .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
            command.addAll(jvmOptions);
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(args));
            return new ProcessBuilder(command)
                    .redirectOutput(home.resolve(name + ".out").toFile())
                    .redirectError(home.resolve(name + ".err").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the command to its end (at most {@code timeoutSeconds}, then it is killed and the test fails). */
    public Result run(String name, long timeoutSeconds, String... args) {
        Process process = start(name, args);
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(name + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), read(name + ".out"), read(name + ".err"));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String read(String file) {
        try {
            return Files.readString(home.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
