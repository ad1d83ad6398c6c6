package io.qualgranter.preflight;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight end to end: every failure stops the run before the first grant with exit 2 and one
 * line naming the likely cause; a file whose types are all fine is granted.
 */
class PreflightTest {

    static final String TYPE = "3PREFLIGHTTYPE0000000000001";
    static final String FOREIGN = "3PREFLIGHTFOREIGN0000000001";
    static final String INACTIVE = "3PREFLIGHTINACTIVE000000001";
    static final String UNKNOWN = "3PREFLIGHTUNKNOWN0000000001";

    @TempDir
    Path dir;

    FakeMTurk mturk;
    GranterCli cli;

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start()
                .addType(TYPE, "Mine", "Active", true)
                .addType(FOREIGN, "Someone else's", "Active", false)
                .addType(INACTIVE, "Retired", "Inactive", true);
        cli = new GranterCli(dir.resolve("home"));
    }

    @AfterEach
    void stop() {
        mturk.close();
    }

    private Path fileWith(String type) {
        return csv(dir, "grants.csv", "WorkerId,QualificationTypeId,IntegerValue",
                "A1WORKER001," + TYPE + ",5", "A1WORKER002," + type + ",6");
    }

    private static void assertStoppedBeforeAnyGrant(Result result, FakeMTurk mturk) {
        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err().strip()).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("java.").contains("nothing was sent");
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isZero();
        assertThat(mturk.grants()).isEmpty();
    }

    @Test
    void wrongSecretStopsAtTheFirstCallAndSaysSo() {
        mturk.rejectAccessKey(GranterCli.ACCESS_KEY);

        Result result = cli.grant(mturk, "--input", fileWith(TYPE).toString());

        assertStoppedBeforeAnyGrant(result, mturk);
        assertThat(result.err()).contains("wrong secret access key").contains("us-east-1");
        assertThat(mturk.requestCounts()).containsOnlyKeys("GetAccountBalance");
    }

    @Test
    void unreachableEndpointIsNamed() {
        Result result = cli.run("grant", "--endpoint-url", "http://127.0.0.1:1", "--input", fileWith(TYPE).toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("granter: preflight: cannot reach the endpoint http://127.0.0.1:1")
                .doesNotContain("\n");
    }

    @Test
    void foreignTypeIsNamed() {
        Result result = cli.grant(mturk, "--input", fileWith(FOREIGN).toString());

        assertStoppedBeforeAnyGrant(result, mturk);
        assertThat(result.err()).contains(FOREIGN).contains("belongs to another requester");
    }

    @Test
    void inactiveTypeIsNamed() {
        Result result = cli.grant(mturk, "--input", fileWith(INACTIVE).toString());

        assertStoppedBeforeAnyGrant(result, mturk);
        assertThat(result.err()).contains(INACTIVE).contains("Inactive");
    }

    @Test
    void unknownTypeSuggestsTheOtherEnvironment() {
        Result result = cli.grant(mturk, "--input", fileWith(UNKNOWN).toString());

        assertStoppedBeforeAnyGrant(result, mturk);
        assertThat(result.err()).contains(UNKNOWN).contains("does not exist").contains("sandbox and production");
    }

    @Test
    void defaultTypeIsCheckedAndOwnedTypesArePagedThrough() {
        for (int i = 0; i < 150; i++) { // two pages of ListQualificationTypes
            mturk.addType(String.format("3PAGEDTYPE%017d", i), "Paged " + i, "Active", true);
        }
        String last = String.format("3PAGEDTYPE%017d", 149);
        Path input = csv(dir, "defaults.csv", "WorkerId", "A1WORKER001", "A1WORKER002");

        Result granted = cli.grant(mturk, "--input", input.toString(), "--qualification-type-id", last, "--rate", "50");

        assertThat(granted.exitCode()).as(granted.all()).isZero();
        assertThat(mturk.grants()).hasSize(2);
        assertThat(mturk.requestCount("ListQualificationTypes")).isGreaterThanOrEqualTo(2);

        Result inactive = cli.grant(mturk, "--input", input.toString(), "--qualification-type-id", INACTIVE);
        assertThat(inactive.exitCode()).as(inactive.all()).isEqualTo(2);
        assertThat(inactive.err()).contains(INACTIVE);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(2);
    }
}
