package io.qualgranter.cli;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: standard output is JSON log events only, progress and summary included. */
class JsonLogFormatTest {

    static final String TYPE = "3TESTTYPE00000000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Test type");

    @Test
    void everyStdoutLineIsAJsonEventAndTheSummaryIsOneOfThem() throws Exception {
        Path input = csv(dir, "json.csv", "WorkerId,QualificationTypeId",
                "A1WORKER001," + TYPE, "A1WORKER002," + TYPE, "A1WORKER003," + TYPE, "bad," + TYPE);
        GranterCli cli = granter.cli().with("granter.progress-interval", "100ms")
                .with("granter.chunk-size", "1");

        Result result = cli.grant(granter.mturk(), "--input", input.toString(), "--rate", "10", "--max-invalid", "1",
                "--log-format", "json");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(granter.mturk().grants()).hasSize(3);
        List<JSONObject> events = result.out().lines().map(JsonLogFormatTest::parse).toList();
        assertThat(events).as(result.out()).hasSizeGreaterThan(3)
                .allSatisfy(e -> assertThat(e).containsKeys("@timestamp", "log", "message"));
        assertThat(events).anySatisfy(e -> assertThat(e.getAsString("message")).startsWith("Job: [SimpleJob: [name=grant]]"));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getAsString("message")).startsWith("progress: rows ");
            assertThat((JSONObject) ((JSONObject) e.get("granter")).get("rows")).containsKeys("done", "total");
        });
        JSONObject summary = events.stream().filter(e -> e.getAsString("message").startsWith("granter: done")).findFirst().orElseThrow();
        assertThat(((JSONObject) summary.get("log")).getAsString("level")).isEqualTo("WARN");
        JSONObject fields = (JSONObject) summary.get("granter");
        assertThat(fields.getAsNumber("exit_code").intValue()).isEqualTo(3);
        assertThat(fields.getAsNumber("rows").intValue()).isEqualTo(4);
        JSONObject counts = (JSONObject) fields.get("count");
        assertThat(counts.getAsNumber("GRANTED").intValue()).isEqualTo(3);
        assertThat(counts.getAsNumber("INVALID").intValue()).isEqualTo(1);
        assertThat(result.out()).doesNotContain(GranterCli.SECRET_KEY);
        assertThat(result.err()).isEmpty();
        assertThat(Files.readAllLines(cli.home().resolve("logs/granter.log"))).isNotEmpty()
                .allSatisfy(JsonLogFormatTest::parse);
    }

    static JSONObject parse(String line) {
        try {
            return (JSONObject) new JSONParser(JSONParser.MODE_STRICTEST).parse(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON object: " + line, e);
        }
    }
}
