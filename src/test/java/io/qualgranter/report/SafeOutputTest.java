package io.qualgranter.report;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the job leaves behind is safe to open and to keep: report cells cannot run as spreadsheet
 * formulas, files holding worker ids are readable by their owner only, and the secret key appears
 * nowhere, not even in a failure or in debug logs.
 */
class SafeOutputTest {

    static final String TYPE = "3SAFETYPE000000000000000001";

    @TempDir
    Path dir;

    @Test
    void formulaCellsAreNeutralised() throws IOException {
        try (FakeMTurk mturk = FakeMTurk.start().addType(TYPE, "Safe", "Active", true)) {
            Path input = csv(dir, "formulas.csv", "WorkerId,QualificationTypeId,IntegerValue",
                    "A1SAFE0001," + TYPE + ",-5",
                    "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"," + TYPE + ",1",
                    "+A1SAFE0002," + TYPE + ",1",
                    "-A1SAFE0003," + TYPE + ",1",
                    "@SUM(A1)," + TYPE + ",=1+1");

            Result result = new GranterCli(dir.resolve("home")).grant(mturk, "--input", input.toString(), "--max-invalid", "100%");

            assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
            ReportFile report = ReportFile.read(dir.resolve("formulas.report.csv"));
            assertThat(report.rowsByLine().get(2L).get(3)).isEqualTo("-5"); // a number stays a number
            assertThat(report.rowsByLine().get(3L).get(1)).isEqualTo("'=HYPERLINK(\"http://x\",\"y\")");
            assertThat(report.rowsByLine().get(4L).get(1)).isEqualTo("'+A1SAFE0002");
            assertThat(report.rowsByLine().get(5L).get(1)).isEqualTo("'-A1SAFE0003");
            assertThat(report.rowsByLine().get(6L).get(1)).isEqualTo("'@SUM(A1)");
            for (var row : report.rowsByLine().values()) {
                for (String cell : row) {
                    assertThat(cell).as("cell of line %s", row.get(0)).doesNotStartWith("=").doesNotStartWith("+")
                            .doesNotStartWith("@");
                }
            }
        }
    }

    @Test
    void homeReportsAndPendingRequestsAreOwnerOnly() throws IOException {
        try (FakeMTurk mturk = FakeMTurk.start().addType(TYPE, "Safe", "Active", true)
                .addPendingRequest("3REQSAFE1", TYPE, "A1SAFE0001")) {
            Path home = dir.resolve("fresh").resolve("home");
            Path input = csv(dir, "modes.csv", "WorkerId", "A1SAFE0001");

            Result result = new GranterCli(home).grant(mturk, "--input", input.toString(), "--qualification-type-id", TYPE,
                    "--summary-json", dir.resolve("summary.json").toString());

            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(mode(home)).isEqualTo("rwx------");
            assertThat(mode(dir.resolve("summary.json"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("modes.report.csv"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("modes.pending-requests.csv"))).isEqualTo("rw-------");
        }
    }

    @Test
    void theSecretKeyIsInNoOutput() throws IOException {
        GranterCli cli = new GranterCli(dir.resolve("home"))
                .with("logging.level.software.amazon.awssdk.request", "DEBUG")
                .with("logging.level.org.apache.http.headers", "DEBUG")
                .with("logging.level.io.qualgranter", "DEBUG");
        List<String> outputs = new ArrayList<>();
        try (FakeMTurk mturk = FakeMTurk.start().addType(TYPE, "Safe", "Active", true)) {
            Path input = csv(dir, "secret.csv", "WorkerId,QualificationTypeId", "A1SAFE0001," + TYPE, "A1UNKNOWN," + TYPE);
            mturk.knownWorkers(java.util.Set.of("A1SAFE0001"));
            Result granted = cli.grant(mturk, "--input", input.toString(), "--summary-json", dir.resolve("s1.json").toString());
            assertThat(granted.exitCode()).as(granted.all()).isEqualTo(3);
            outputs.add(granted.all());

            mturk.rejectAccessKey(GranterCli.ACCESS_KEY);
            Result refused = cli.grant(mturk, "--input", csv(dir, "secret2.csv", "WorkerId", "A1SAFE0002").toString(),
                    "--qualification-type-id", TYPE, "--summary-json", dir.resolve("s2.json").toString());
            assertThat(refused.exitCode()).as(refused.all()).isEqualTo(2);
            outputs.add(refused.all());

            outputs.add(cli.run("status").all());
        }
        assertThat(Files.readString(cli.home().resolve("logs/granter.log"))).contains("DEBUG"); // the logs were verbose
        assertThat(dir.resolve("s1.json")).exists();
        assertThat(dir.resolve("s2.json")).exists();
        for (String output : outputs) {
            assertThat(output).doesNotContain(GranterCli.SECRET_KEY);
        }
        try (Stream<Path> files = Stream.concat(Files.walk(cli.home()), Files.list(dir))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as("%s", file).doesNotContain(GranterCli.SECRET_KEY).doesNotContain("SECRETsecret");
            }
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
