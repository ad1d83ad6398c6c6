package io.qualgranter.grant;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.qualgranter.row.Outcome;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The breaker for production worker ids sent to the sandbox (or the reverse). */
class WrongEnvironmentBreakerTest {

    static final String TYPE = "3BREAKERTYPE000000000000001";
    static final CallResult UNKNOWN_WORKER = new CallResult(Outcome.REJECTED,
            "ParameterValidationError: The value \"A1X\" is not valid for the parameter WorkerId.");

    @TempDir
    Path dir;

    @Test
    void tripsOnTheTwentiethUnknownWorkerInARow() {
        WrongEnvironmentBreaker breaker = new WrongEnvironmentBreaker(20, "the sandbox");
        for (int i = 0; i < 19; i++) {
            breaker.observe(UNKNOWN_WORKER);
        }
        assertThat(breaker.stillWatching()).isEqualTo(1);
        assertThatThrownBy(() -> breaker.observe(UNKNOWN_WORKER)).isInstanceOf(WrongEnvironmentException.class)
                .hasMessageContaining("the sandbox").hasMessageContaining("production worker ids");
    }

    @Test
    void anyOtherAnswerAmongTheFirstDisarmsItForGood() {
        WrongEnvironmentBreaker breaker = new WrongEnvironmentBreaker(20, "the sandbox");
        breaker.observe(UNKNOWN_WORKER);
        breaker.observe(CallResult.granted());
        for (int i = 0; i < 100; i++) {
            breaker.observe(UNKNOWN_WORKER);
        }
        assertThat(breaker.stillWatching()).isEqualTo(Integer.MAX_VALUE);
        WrongEnvironmentBreaker otherRefusal = new WrongEnvironmentBreaker(20, "the sandbox");
        otherRefusal.observe(new CallResult(Outcome.REJECTED, "RequestError: something else"));
        assertThat(otherRefusal.stillWatching()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void fileOfUnknownWorkersStopsAfterTwentyCallsWithExitTwo() {
        try (FakeMTurk mturk = FakeMTurk.start().addType(TYPE, "Breaker", "Active", true)) {
            mturk.knownWorkers(Set.of("A1KNOWN0001"));
            List<String> lines = new ArrayList<>(List.of("WorkerId"));
            for (int i = 1; i <= 250; i++) {
                lines.add(String.format("A1PRODWORKER%04d", i));
            }
            Path input = csv(dir, "production-ids.csv", lines.toArray(String[]::new));
            GranterCli cli = new GranterCli(dir.resolve("home"));

            Result result = cli.grant(mturk, "--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "200");

            assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
            assertThat(result.err().strip()).doesNotContain("\n").contains("first 20 grants")
                    .contains("production worker ids sent to the sandbox");
            assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(20);
            assertThat(mturk.grants()).isEmpty();

            // a file that starts with a known worker is granted row by row, unknown workers REJECTED
            List<String> mixed = new ArrayList<>(List.of("WorkerId", "A1KNOWN0001"));
            for (int i = 1; i <= 25; i++) {
                mixed.add(String.format("A1PRODWORKER%04d", i));
            }
            Path mixedInput = csv(dir, "mixed.csv", mixed.toArray(String[]::new));
            Result goesOn = cli.grant(mturk, "--input", mixedInput.toString(), "--qualification-type-id", TYPE,
                    "--rate", "200", "--max-invalid", "100%");
            assertThat(goesOn.exitCode()).as(goesOn.all()).isEqualTo(3);
            assertThat(ReportFile.read(dir.resolve("mixed.report.csv")).outcomes().values())
                    .containsOnly("GRANTED", "REJECTED").hasSize(26);
        }
    }
}
