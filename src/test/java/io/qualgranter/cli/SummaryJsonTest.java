package io.qualgranter.cli;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.qualgranter.job.InputFingerprint;
import io.qualgranter.testsupport.FakeResponse;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --summary-json FILE}: the fields a cron wrapper or a dashboard reads, after real runs. */
class SummaryJsonTest {

    static final String TYPE = "3TESTTYPE00000000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Test type");

    @Test
    void runWithEveryOutcomeIsSummedUpField_byField() throws Exception {
        granter.mturk().knownWorkers(Set.of("A1WORKER001", "A1WORKER002", "A1FAILING003"));
        granter.mturk().onAssociate(call -> call.workerId().equals("A1FAILING003")
                ? Optional.of(FakeResponse.serviceFault(500, "We encountered an internal error."))
                : Optional.empty());
        Path input = csv(dir, "every.csv",
                "WorkerId,IntegerValue",
                "A1WORKER001,90",        // GRANTED
                "A1WORKER002,80",        // GRANTED
                "A1WORKER001,70",        // DUPLICATE
                "not-a-worker,5",        // INVALID
                "A1UNKNOWN004,5",        // REJECTED: the service does not know the worker
                "A1FAILING003,5");       // FAILED after the retries
        Path summaryFile = dir.resolve("out/summary.json");

        Result result = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE,
                "--max-invalid", "50%", "--rate", "100", "--summary-json", summaryFile.toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        JSONObject summary = read(summaryFile);
        assertThat(summary.getAsNumber("run_id").longValue()).isPositive();
        assertThat(summary.getAsNumber("execution_id").longValue()).isPositive();
        assertThat(summary.getAsString("status")).isEqualTo("COMPLETED");
        assertThat(summary.getAsNumber("exit_code").intValue()).isEqualTo(3);
        assertThat(summary.getAsString("message")).contains("need attention");
        assertThat(summary.getAsString("input")).isEqualTo(input.toAbsolutePath().toString());
        assertThat(summary.getAsString("input_sha256")).isEqualTo(InputFingerprint.sha256(input)).hasSize(64);
        assertThat(summary.get("dry_run")).isEqualTo(false);
        assertThat(summary.getAsString("target")).isEqualTo(granter.mturk().endpoint().toString());
        assertThat(summary.getAsString("report")).isEqualTo(dir.resolve("every.report.csv").toAbsolutePath().toString());
        assertThat(OffsetDateTime.parse(summary.getAsString("ended")))
                .isAfterOrEqualTo(OffsetDateTime.parse(summary.getAsString("started")));
        assertThat(summary.getAsNumber("rows").longValue()).isEqualTo(6);
        double elapsed = summary.getAsNumber("elapsed_seconds").doubleValue();
        assertThat(elapsed).isPositive().isLessThan(120);
        assertThat(summary.getAsNumber("mean_rate").doubleValue()).isCloseTo(6 / elapsed, org.assertj.core.data.Percentage.withPercentage(10));
        assertThat(counts(summary)).isEqualTo(Map.of("GRANTED", 2L, "DUPLICATE", 1L, "ALREADY_GRANTED", 0L,
                "INVALID", 1L, "REJECTED", 1L, "FAILED", 1L, "WOULD_GRANT", 0L));
        assertThat(Files.readString(summaryFile)).doesNotContain(GranterCli.SECRET_KEY);
    }

    @Test
    void dryRunCountsWouldGrantAndSaysSo() throws Exception {
        Path input = csv(dir, "dry.csv", "WorkerId,QualificationTypeId", "A1WORKER001," + TYPE, "A1WORKER002," + TYPE);
        Path summaryFile = dir.resolve("dry.json");

        Result result = granter.grant("--input", input.toString(), "--dry-run", "--summary-json", summaryFile.toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        JSONObject summary = read(summaryFile);
        assertThat(summary.get("dry_run")).isEqualTo(true);
        assertThat(summary.getAsNumber("exit_code").intValue()).isZero();
        assertThat(counts(summary)).containsEntry("WOULD_GRANT", 2L).containsEntry("GRANTED", 0L);
        assertThat(granter.mturk().totalRequests()).isZero();
    }

    @Test
    void refusedCommandStillLeavesASummaryWithItsExitCode() throws Exception {
        Path summaryFile = dir.resolve("refused.json");

        Result result = granter.grant("--input", dir.resolve("missing.csv").toString(),
                "--qualification-type-id", TYPE, "--summary-json", summaryFile.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        JSONObject summary = read(summaryFile);
        assertThat(summary.getAsNumber("exit_code").intValue()).isEqualTo(2);
        assertThat(summary.getAsString("status")).isEqualTo("NOT_STARTED");
        assertThat(summary.get("run_id")).isNull();
        assertThat(summary.getAsString("message")).isEqualTo(result.err().strip().replaceFirst("^granter: ", ""));
        assertThat(counts(summary).values()).containsOnly(0L);
    }

    static JSONObject read(Path file) throws Exception {
        assertThat(file).exists();
        return (JSONObject) new JSONParser(JSONParser.MODE_STRICTEST).parse(Files.readString(file).strip());
    }

    static Map<String, Long> counts(JSONObject summary) {
        Map<String, Long> counts = new java.util.HashMap<>();
        ((JSONObject) summary.get("counts")).forEach((k, v) -> counts.put(k, ((Number) v).longValue()));
        return counts;
    }
}
