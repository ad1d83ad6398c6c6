package io.qualgranter.preflight;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeResponse;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight end to end: every failure stops the run before the first grant with exit 2 and one
 * line naming the likely cause, except a busy or failing service (throttling, 5xx after the retries):
 * exit 1, run again; a file whose types are all fine is granted.
 */
class PreflightTest {

    static final String TYPE = "3PREFLIGHTTYPE0000000000001";
    static final String FOREIGN = "3PREFLIGHTFOREIGN0000000001";
    static final String INACTIVE = "3PREFLIGHTINACTIVE000000001";
    static final String UNKNOWN = "3PREFLIGHTUNKNOWN0000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withTypes(fake -> fake
                .addType(TYPE, "Mine", "Active", true)
                .addType(FOREIGN, "Someone else's", "Active", false)
                .addType(INACTIVE, "Retired", "Inactive", true));

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
    void wrongSecretStopsAtThePreflightReadsAndSaysSo() {
        granter.mturk().rejectAccessKey(GranterCli.ACCESS_KEY);

        Result result = granter.grant("--input", fileWith(TYPE).toString());

        assertStoppedBeforeAnyGrant(result, granter.mturk());
        assertThat(result.err()).contains("wrong secret access key").contains("us-east-1");
        // the balance and the owned types are asked together; the balance's answer is the one reported
        assertThat(granter.mturk().requestCounts()).containsKey("GetAccountBalance")
                .doesNotContainKey("AssociateQualificationWithWorker");
    }

    @Test
    void unreachableEndpointIsNamed() {
        Result result = granter.cli().run("grant", "--endpoint-url", "http://127.0.0.1:1", "--input", fileWith(TYPE).toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("granter: preflight: cannot reach the endpoint http://127.0.0.1:1")
                .doesNotContain("\n");
    }

    @Test
    void foreignTypeIsNamed() {
        Result result = granter.grant("--input", fileWith(FOREIGN).toString());

        assertStoppedBeforeAnyGrant(result, granter.mturk());
        assertThat(result.err()).contains(FOREIGN).contains("belongs to another requester");
    }

    @Test
    void inactiveTypeIsNamed() {
        Result result = granter.grant("--input", fileWith(INACTIVE).toString());

        assertStoppedBeforeAnyGrant(result, granter.mturk());
        assertThat(result.err()).contains(INACTIVE).contains("Inactive");
    }

    @Test
    void unknownTypeSuggestsTheOtherEnvironment() {
        Result result = granter.grant("--input", fileWith(UNKNOWN).toString());

        assertStoppedBeforeAnyGrant(result, granter.mturk());
        assertThat(result.err()).contains(UNKNOWN).contains("does not exist").contains("sandbox and production");
    }

    @Test
    void defaultTypeIsCheckedAndOwnedTypesArePagedThrough() {
        for (int i = 0; i < 150; i++) { // two pages of ListQualificationTypes
            granter.mturk().addType(String.format("3PAGEDTYPE%017d", i), "Paged " + i, "Active", true);
        }
        String last = String.format("3PAGEDTYPE%017d", 149);
        Path input = csv(dir, "defaults.csv", "WorkerId", "A1WORKER001", "A1WORKER002");

        Result granted = granter.grant("--input", input.toString(), "--qualification-type-id", last, "--rate", "50");

        assertThat(granted.exitCode()).as(granted.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(2);
        assertThat(granter.mturk().requestCount("ListQualificationTypes")).isGreaterThanOrEqualTo(2);

        Result inactive = granter.grant("--input", input.toString(), "--qualification-type-id", INACTIVE);
        assertThat(inactive.exitCode()).as(inactive.all()).isEqualTo(2);
        assertThat(inactive.err()).contains(INACTIVE);
        assertThat(granter.mturk().requestCount("AssociateQualificationWithWorker")).isEqualTo(2);
    }

    @Test
    void aServiceFaultThatOutlastsTheRetriesSaysRunAgainWithExit1() {
        granter.mturk().failOperation("GetAccountBalance", 100, FakeResponse.serviceFault(500, "We encountered an internal error."));

        Result result = granter.grant("--input", fileWith(TYPE).toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
        assertThat(result.err().strip()).doesNotContain("\n")
                .contains("the service is busy or unavailable").contains("ServiceFault")
                .contains("run the same command again").contains("nothing was sent")
                .doesNotContain("credentials");
        assertThat(granter.mturk().requestCount("GetAccountBalance")).as("retried").isEqualTo(3);
        assertThat(granter.mturk().requestCount("AssociateQualificationWithWorker")).isZero();

        granter.mturk().clearFaults();
        Result again = granter.grant("--input", fileWith(TYPE).toString());
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(2);
    }

    @Test
    void throttlingThatOutlastsTheRetriesSaysRunAgainWithExit1() {
        granter.mturk().failOperation("ListQualificationTypes", 100, FakeResponse.throttling());

        Result result = granter.grant("--input", fileWith(TYPE).toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
        assertThat(result.err().strip()).doesNotContain("\n").contains("the service is busy or unavailable")
                .contains("ThrottlingException").contains("run the same command again");
        assertThat(granter.mturk().requestCount("AssociateQualificationWithWorker")).isZero();
    }

    @Test
    void aBriefServiceFaultAtPreflightIsRetriedAndTheRunGoesOn() {
        granter.mturk().failOperation("GetAccountBalance", 2, FakeResponse.serviceFault(503, "Slow down a moment."));

        Result result = granter.grant("--input", fileWith(TYPE).toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(2);
    }

    // a single grant makes its preflight's reads while the job starts (EarlyPreflight): the same outcomes

    @Test
    void aSingleGrantsPreflightReadsAreMadeOnceAndUsed() throws IOException {
        Result result = granter.grant("--worker-id", "A1EARLY0001", "--qualification-type-id", TYPE);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(1);
        assertThat(granter.mturk().requestCount("GetAccountBalance")).isEqualTo(1);
        assertThat(granter.mturk().requestCount("ListQualificationTypes")).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("home/logs/granter.log")))
                .contains("Preflight passed").contains("(its reads made while the job started)");
    }

    @Test
    void aSingleGrantWithAWrongSecretStopsWithTheSameMessage() {
        granter.mturk().rejectAccessKey(GranterCli.ACCESS_KEY);

        Result result = granter.grant("--worker-id", "A1EARLY0001", "--qualification-type-id", TYPE);

        assertStoppedBeforeAnyGrant(result, granter.mturk());
        assertThat(result.err()).contains("wrong secret access key").contains("us-east-1");
        // the early read's error answer is not used: the preflight asks again, as the client may retry such an answer
        assertThat(granter.mturk().requestCount("GetAccountBalance")).isEqualTo(2);
    }

    @Test
    void aSingleGrantWhoseEarlyReadIsThrottledAsksAgainAndGoesOn() {
        granter.mturk().failOperation("ListQualificationTypes", 1, FakeResponse.throttling());

        Result result = granter.grant("--worker-id", "A1EARLY0001", "--qualification-type-id", TYPE);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(1);
        assertThat(granter.mturk().requestCount("ListQualificationTypes")).isEqualTo(2);
    }

    @Test
    void aSingleGrantOfAForeignTypeIsNamedAsBefore() {
        Result result = granter.grant("--worker-id", "A1EARLY0001", "--qualification-type-id", FOREIGN);

        assertStoppedBeforeAnyGrant(result, granter.mturk());
        assertThat(result.err()).contains(FOREIGN).contains("belongs to another requester");
    }

    @Test
    void aSingleGrantOfAnInactiveTypeIsNamedAsBefore() {
        Result result = granter.grant("--worker-id", "A1EARLY0001", "--qualification-type-id", INACTIVE);

        assertStoppedBeforeAnyGrant(result, granter.mturk());
        assertThat(result.err()).contains(INACTIVE).contains("Inactive");
        assertThat(granter.mturk().requestCount("ListQualificationTypes")).as("the early answer is used").isEqualTo(1);
    }
}
