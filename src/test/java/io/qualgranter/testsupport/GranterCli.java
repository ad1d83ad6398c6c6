package io.qualgranter.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.qualgranter.cli.Main;

/**
 * Runs the real command line in this JVM, the way an operator would: its own $GRANTER_HOME (an H2
 * file job repository), AWS credentials from the SDK's default chain (system properties here), and
 * whatever the process printed and exited with.
 */
public final class GranterCli {

    public static final String ACCESS_KEY = "AKIDTESTGRANTER0001";
    public static final String SECRET_KEY = "SECRETsecretSECRET/granter+test/0001";

    /** What one command left behind. */
    public record Result(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private final Path home;
    private final Map<String, String> settings = new LinkedHashMap<>();

    public GranterCli(Path home) {
        this.home = home;
        // fast retries, so that tests of failures take milliseconds, not minutes
        settings.put("granter.retry.base-delay", "5ms");
        settings.put("granter.retry.max-delay", "20ms");
        settings.put("granter.retry.max-attempts", "3");
        settings.put("granter.chunk-seconds", "0"); // chunks of granter.chunk-size rows, as tests set them
    }

    /** A Spring property for the next commands, e.g. granter.failure-limit. */
    public GranterCli with(String property, String value) {
        settings.put(property, value);
        return this;
    }

    public Path home() {
        return home;
    }

    public Result run(String... args) {
        return run(null, args);
    }

    /** Runs a command with the given bytes as its standard input (null: leave System.in as it is). */
    public Result run(byte[] standardInput, String... args) {
        Map<String, String> previous = new LinkedHashMap<>();
        set(previous, "granter.home", home.toString());
        set(previous, "aws.accessKeyId", ACCESS_KEY);
        set(previous, "aws.secretAccessKey", SECRET_KEY);
        settings.forEach((k, v) -> set(previous, k, v));
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            if (standardInput != null) {
                System.setIn(new ByteArrayInputStream(standardInput));
            }
            int code = Main.run(args);
            return new Result(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    /** {@code grant} against the fake, with the given extra arguments. */
    public Result grant(FakeMTurk mturk, String... args) {
        return grantFromStandardInput(mturk, null, args);
    }

    /** {@code grant} against the fake with the given bytes piped to it (for {@code --input -}). */
    public Result grantFromStandardInput(FakeMTurk mturk, byte[] standardInput, String... args) {
        List<String> all = new ArrayList<>(List.of("grant", "--endpoint-url", mturk.endpoint().toString()));
        all.addAll(List.of(args));
        return run(standardInput, all.toArray(String[]::new));
    }

    private static void set(Map<String, String> previous, String key, String value) {
        previous.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    /** Writes a CSV file from lines. */
    public static Path csv(Path directory, String name, String... lines) {
        try {
            Path file = directory.resolve(name);
            Files.writeString(file, String.join("\n", lines) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
