package io.qualgranter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grant command against a stand-in that limits its rate, answers slowly or has a 503 storm:
 * every row still ends GRANTED, calls overlap up to --concurrency, and the rate adapts (logged).
 * Outcomes are asserted, not timings (those are for ops/bench-throughput).
 */
class GrantThroughputTest {

    static final String TYPE = "3THROUGHPUTTYPE000000000001";

    @TempDir
    Path dir;

    FakeMTurk mturk;
    GranterCli cli;

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Throughput test", "Active", true);
        // the shipped retry settings (application.yml), not GranterCli's quick ones
        cli = new GranterCli(dir.resolve("home"))
                .with("granter.retry.max-attempts", "6")
                .with("granter.retry.base-delay", "200ms")
                .with("granter.retry.max-delay", "20s");
    }

    @AfterEach
    void stop() {
        mturk.close();
    }

    Path rows(int n) {
        List<String> lines = new ArrayList<>(List.of("WorkerId,QualificationTypeId,IntegerValue"));
        for (int i = 1; i <= n; i++) {
            lines.add(String.format("A%08d,%s,%d", i, TYPE, i % 100));
        }
        return GranterCli.csv(dir, "rows.csv", lines.toArray(String[]::new));
    }

    @Test
    void rateFarAboveTheServiceLimitStillGrantsEveryRow() throws IOException {
        mturk.rateLimit(40, 4);
        Path input = rows(120);

        Result result = cli.grant(mturk, "--input", input.toString(), "--rate", "1000", "--concurrency", "8");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(mturk.grants()).hasSize(120);
        assertThat(ReportFile.read(dir.resolve("rows.report.csv")).outcomes().values()).hasSize(120).containsOnly("GRANTED");
        assertThat(mturk.throttledCount()).as("the stand-in did throttle").isPositive();
        String log = Files.readString(cli.home().resolve("logs/granter.log"));
        assertThat(log).contains("request rate lowered to");
    }

    /**
     * A service whose bucket holds 10 requests, at --rate equal to its limit: sends go out evenly spaced,
     * so nothing is throttled — not at the start of the grant step (the limiter idle since the preflight),
     * nor after each chunk's commit (slow answers keep the last calls of a chunk out for 150-450 ms: a
     * limiter that saves up permits meanwhile sends the next chunk's first calls in a burst).
     */
    @Test
    void atTheServiceLimitNothingIsThrottledByABurst() {
        mturk.rateLimit(50, 10).serviceTime(Duration.ofMillis(300));
        Path input = rows(150);

        Result result = cli.with("granter.chunk-size", "50")
                .grant(mturk, "--input", input.toString(), "--rate", "50", "--concurrency", "24");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(mturk.grants()).hasSize(150);
        assertThat(mturk.throttledCount()).as("throttled requests of %d", mturk.totalRequests()).isLessThanOrEqualTo(2);
    }

    /**
     * A run at a --rate of 100 or more with a second's worth of rows warms its send path before its first grant
     * (grant/SendPathWarmUp), on a loopback answerer of its own: the service sees the run's own calls alone,
     * signed with the run's own credentials. A slower run does not warm up.
     */
    @Test
    void aFastRunWarmsItsSendPathWithoutTheService() throws IOException {
        String log = grant300RowsAt("200");

        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(300);
        assertThat(mturk.accessKeyIds()).containsOnly(GranterCli.ACCESS_KEY);
        assertThat(log).containsPattern("Send path warmed up: \\d+ made-up grants answered by a loopback answerer");
    }

    @Test
    void aRunBelowTheWarmUpRateDoesNotWarmUp() throws IOException {
        assertThat(grant300RowsAt("99")).doesNotContain("Send path warmed up");
    }

    /** Grants 300 rows at {@code rate} with 16 calls in flight, checks each was granted, and answers the run's log. */
    private String grant300RowsAt(String rate) throws IOException {
        Result result = cli.grant(mturk, "--input", rows(300).toString(), "--rate", rate, "--concurrency", "16");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(mturk.grants()).hasSize(300);
        return Files.readString(cli.home().resolve("logs/granter.log"));
    }

    @Test
    void callsOverlapUpToTheConcurrency() {
        mturk.serviceTime(Duration.ofMillis(60));
        Path input = rows(40);

        Result result = cli.grant(mturk, "--input", input.toString(), "--rate", "1000", "--concurrency", "4");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(mturk.grants()).hasSize(40);
        assertThat(mturk.maxInFlight()).isBetween(2, 4);
    }

    @Test
    void a503StormEndsWithEveryRowGranted() {
        mturk.failNext(5, 503);
        Path input = rows(30);

        Result result = cli.grant(mturk, "--input", input.toString(), "--rate", "100", "--concurrency", "8");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(ReportFile.read(dir.resolve("rows.report.csv")).outcomes().values()).hasSize(30).containsOnly("GRANTED");
        assertThat(mturk.grants()).hasSize(30);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).as("the 503s were retried").isEqualTo(30 + 5);
    }
}
