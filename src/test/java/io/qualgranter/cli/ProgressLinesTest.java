package io.qualgranter.cli;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Without a terminal (cron, a pipe, this test), a run longer than the interval prints progress lines. */
class ProgressLinesTest {

    static final String TYPE = "3TESTTYPE00000000000000000001";
    static final Pattern LINE = Pattern.compile(
            "granter: rows (\\d+)/(\\d+) \\(\\d+\\.\\d%\\)(.*); (\\d+\\.\\d) rows/s; ETA (\\S+); elapsed \\S+");

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Test type");

    @Test
    void longRunPrintsRowsDoneOfTotalCountsRateAndEtaEveryInterval() throws Exception {
        List<String> lines = new ArrayList<>(List.of("WorkerId,QualificationTypeId"));
        for (int i = 1; i <= 16; i++) {
            lines.add(String.format("A1WORKER%03d,%s", i, TYPE));
        }
        lines.add("A1WORKER001," + TYPE); // one duplicate: 17 rows
        Path input = csv(dir, "slow.csv", lines.toArray(String[]::new));
        GranterCli cli = granter.cli()
                .with("granter.progress-interval", "250ms")
                .with("granter.chunk-size", "2");

        Result result = cli.grant(granter.mturk(), "--input", input.toString(), "--rate", "10"); // ~1.6 s of calls

        assertThat(result.exitCode()).as(result.all()).isZero();
        List<Matcher> progress = result.err().lines().map(LINE::matcher).filter(Matcher::matches).toList();
        assertThat(progress).as(result.err()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(progress).allSatisfy(m -> assertThat(m.group(2)).isEqualTo("17"));
        List<Long> done = progress.stream().map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(done).isSorted();
        assertThat(done.get(done.size() - 1)).isGreaterThan(done.get(0));
        assertThat(progress).anySatisfy(m -> {
            assertThat(m.group(3)).contains("GRANTED=");
            assertThat(Double.parseDouble(m.group(4))).isPositive();
            assertThat(m.group(5)).matches("\\d+s|\\dm\\d\\ds");
        });
        assertThat(result.out()).doesNotContain("rows/s; ETA"); // stdout stays for the summary
        assertThat(Files.readString(cli.home().resolve("logs/granter.log"))).contains("progress: rows ");
    }
}
