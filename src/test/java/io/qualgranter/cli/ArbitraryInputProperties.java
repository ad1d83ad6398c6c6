package io.qualgranter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.qualgranter.testsupport.AwkwardBytes;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.SeededTries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes the input holds ({@link AwkwardBytes}), the grant command ends with exit 0, 2 or 3
 * and a message, never an exception out of {@link Main#run} or a stack trace on the terminal. Each try starts
 * the whole command (a Spring context), so there are few of them here; {@code
 * io.qualgranter.input.ArbitraryBytesProperties} tries many more inputs on the reader and validator.
 */
class ArbitraryInputProperties {

    static final String TYPE = AwkwardBytes.TYPE;

    static FakeMTurk mturk;
    static Path home;
    static int tryNumber;

    @BeforeAll
    static void start() throws IOException {
        mturk = FakeMTurk.start().acceptAnyType(true);
        home = Files.createTempDirectory("arbitrary-input");
    }

    @AfterAll
    static void stop() throws IOException {
        mturk.close();
        try (var paths = Files.walk(home)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void anyBytesEndInExitZeroTwoOrThreeWithoutAStackTrace() {
        SeededTries.run(6, random -> endsInExitZeroTwoOrThreeWithoutAStackTrace(AwkwardBytes.file(random)));
    }

    private static void endsInExitZeroTwoOrThreeWithoutAStackTrace(byte[] bytes) throws IOException {
        mturk.reset();
        mturk.acceptAnyType(true).addType(TYPE, "Arbitrary", "Active", true); // rows of TYPE get granted
        Path dir = Files.createTempDirectory(home, "try" + (++tryNumber));
        Path input = Files.write(dir.resolve("input.csv"), bytes);

        Result result = new GranterCli(home).grant(mturk, "--input", input.toString(), "--max-invalid", "100%",
                "--rate", "1000", "--qualification-type-id", TYPE);

        assertThat(result.exitCode()).as(result.all()).isIn(0, 2, 3);
        assertThat(result.all()).doesNotContain("Exception").doesNotContain("\tat ");
        if (result.exitCode() == 2) {
            assertThat(result.err().strip()).startsWith("granter: ").doesNotContain("\n");
            assertThat(mturk.associateCalls()).isEmpty();
        }
    }
}
