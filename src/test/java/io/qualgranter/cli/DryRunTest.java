package io.qualgranter.cli;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Dry runs in large chunks: same outcomes as row by row, and --max-invalid checked on the final counts. */
class DryRunTest {

    static final String TYPE = "3TESTTYPE00000000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Test type");

    @Test
    void tooManyInvalidRowsInADryRunStillWriteTheWholeReportThenExitTwo() {
        Path input = csv(dir, "wrong.csv", "WorkerId,QualificationTypeId,IntegerValue",
                "A1WORKER001," + TYPE + ",1", "nope," + TYPE + ",1", "=cmd()," + TYPE + ",1", "A1WORKER001," + TYPE + ",2");

        Result result = granter.cli().with("granter.max-chunk-rows", "2")
                .grant(granter.mturk(), "--input", input.toString(), "--dry-run", "--max-invalid", "1");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err()).contains("2 of 4 rows are invalid").contains("wrong.report.csv").doesNotContain("Exception");
        assertThat(granter.mturk().totalRequests()).isZero();
        ReportFile report = ReportFile.read(dir.resolve("wrong.report.csv"));
        assertThat(report.outcomes()).isEqualTo(Map.of(2L, "WOULD_GRANT", 3L, "INVALID", 4L, "INVALID", 5L, "DUPLICATE"));
        assertThat(report.rowsByLine().get(4L).get(1)).as("formula neutralised").isEqualTo("'=cmd()");
        assertThat(report.detail(5)).contains("conflicting value 2");
    }
}
