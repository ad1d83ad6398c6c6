package io.qualgranter.cli;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.FakeResponse;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grant command end to end: the real command line, Spring Batch with an H2 file job repository,
 * the real SDK client signing real requests to a loopback MTurk stand-in.
 */
class GrantCommandTest {

    static final String TYPE = "3TESTTYPE00000000000000000001";
    static final String OTHER_TYPE = "3TESTTYPE00000000000000000002";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withTypes(fake -> fake
                .addType(TYPE, "Test type", "Active", true).addType(OTHER_TYPE, "Other", "Active", true));

    @Test
    void cleanFileIsGrantedRowByRowWithoutNotifications() {
        Path input = csv(dir, "clean.csv",
                "WorkerId,QualificationTypeId,IntegerValue",
                "A1WORKER001," + TYPE + ",90",
                "A1WORKER002," + TYPE + ",85",
                "A1WORKER003," + OTHER_TYPE + ",7");

        Result result = granter.grant("--input", input.toString(), "--rate", "50");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(
                new Key(TYPE, "A1WORKER001"), 90,
                new Key(TYPE, "A1WORKER002"), 85,
                new Key(OTHER_TYPE, "A1WORKER003"), 7));
        assertThat(granter.mturk().associateCalls()).hasSize(3).allSatisfy(call -> assertThat(call.sendNotification()).isFalse());
        assertThat(granter.mturk().accessKeyIds()).containsExactly(GranterCli.ACCESS_KEY);
        ReportFile report = ReportFile.read(dir.resolve("clean.report.csv"));
        assertThat(report.header()).containsExactly("line", "worker_id", "qualification_type_id", "integer_value", "outcome", "detail");
        assertThat(report.outcomes()).isEqualTo(Map.of(2L, "GRANTED", 3L, "GRANTED", 4L, "GRANTED"));
        assertThat(result.out()).contains("GRANTED").contains("3");
    }

    @Test
    void duplicatesInvalidRowsAndUnknownWorkersEachGetTheirOutcome() {
        granter.mturk().knownWorkers(Set.of("A1WORKER001", "A1WORKER002", "A1WORKER004"));
        Path input = csv(dir, "mixed.csv",
                "worker_id,score",
                "A1WORKER001,90",          // 2 granted
                "A1WORKER001,90",          // 3 duplicate
                "A1WORKER001,70",          // 4 duplicate, conflicting value
                "  A1WORKER002 ,5",        // 5 granted, trimmed
                "a1worker003,5",           // 6 invalid: lower case
                "A1WORKER004,1.5",         // 7 invalid: not an integer
                "A1UNKNOWN005,5",          // 8 rejected by the service
                "A1WORKER004,");           // 9 granted with the default value

        Result result = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE,
                "--integer-value", "3", "--max-invalid", "50%", "--rate", "50");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(
                new Key(TYPE, "A1WORKER001"), 90,
                new Key(TYPE, "A1WORKER002"), 5,
                new Key(TYPE, "A1WORKER004"), 3));
        ReportFile report = ReportFile.read(dir.resolve("mixed.report.csv"));
        assertThat(report.outcomes()).isEqualTo(Map.of(2L, "GRANTED", 3L, "DUPLICATE", 4L, "DUPLICATE",
                5L, "GRANTED", 6L, "INVALID", 7L, "INVALID", 8L, "REJECTED", 9L, "GRANTED"));
        assertThat(report.detail(4)).contains("conflicting value 70");
        assertThat(report.detail(5)).contains("whitespace trimmed");
        assertThat(report.detail(6)).contains("lower-case");
        assertThat(report.detail(8)).contains("ParameterValidationError").contains("WorkerId");
        assertThat(granter.mturk().associateCount(TYPE, "A1UNKNOWN005")).as("4xx is not retried").isEqualTo(1);
    }

    @Test
    void dryRunSendsNothing() {
        Path input = csv(dir, "dry.csv", "WorkerId,QualificationTypeId,IntegerValue",
                "A1WORKER001," + TYPE + ",1", "A1WORKER002," + TYPE + ",2", "bad," + TYPE + ",2");

        Result result = granter.grant("--input", input.toString(), "--dry-run", "--max-invalid", "1");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(granter.mturk().totalRequests()).isZero();
        assertThat(ReportFile.read(dir.resolve("dry.report.csv")).outcomes())
                .isEqualTo(Map.of(2L, "WOULD_GRANT", 3L, "WOULD_GRANT", 4L, "INVALID"));
    }

    @Test
    void tooManyInvalidRowsStopBeforeAnyCall() {
        Path input = csv(dir, "wrong.csv", "WorkerId,QualificationTypeId,IntegerValue",
                "A1WORKER001," + TYPE + ",1", "nope," + TYPE + ",1", "nope2," + TYPE + ",1");

        Result result = granter.grant("--input", input.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("2 of 3 rows are invalid").contains("line 3").doesNotContain("Exception");
        assertThat(granter.mturk().totalRequests()).isZero();
    }

    @Test
    void runThatFailsPartWayResumesWithoutGrantingAnythingTwice() {
        granter.cli().with("granter.failure-limit", "3").with("granter.chunk-size", "4");
        String[] lines = new String[41];
        lines[0] = "WorkerId,IntegerValue";
        for (int i = 1; i <= 40; i++) {
            lines[i] = String.format("A1WORKER%03d,%d", i, i);
        }
        Path input = csv(dir, "big.csv", lines);
        granter.mturk().failAssociateFromCall(15, 500);

        Result first = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "200");

        assertThat(first.exitCode()).as(first.all()).isEqualTo(1);
        assertThat(first.err()).contains("run the same command again to resume");
        Set<Key> grantedBefore = granter.mturk().grants().keySet();
        assertThat(grantedBefore).hasSize(14);

        granter.mturk().clearFaults();
        Result second = granter.grant("--input", input.toString(), "--qualification-type-id", TYPE, "--rate", "200");

        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(40);
        for (int i = 1; i <= 40; i++) {
            assertThat(granter.mturk().grants()).containsEntry(new Key(TYPE, String.format("A1WORKER%03d", i)), i);
        }
        for (Key key : grantedBefore) {
            assertThat(granter.mturk().associateCount(key.qualificationTypeId(), key.workerId()))
                    .as("%s was granted in the first run and must not be sent again", key).isEqualTo(1);
        }
        ReportFile report = ReportFile.read(dir.resolve("big.report.csv"));
        assertThat(report.outcomes()).hasSize(40).containsOnlyKeys(report.rowsByLine().keySet())
                .allSatisfy((line, outcome) -> assertThat(outcome).isEqualTo("GRANTED"));
    }

    @Test
    void completedRunRetriesOnlyItsFailedRowsAndThenHasNothingToDo() {
        granter.cli().with("granter.failure-limit", "100");
        granter.mturk().onAssociate(call -> call.workerId().equals("A1WORKER002")
                ? Optional.of(FakeResponse.serviceFault(503, "Service unavailable")) : Optional.empty());
        Path input = csv(dir, "retry.csv", "WorkerId,QualificationTypeId,IntegerValue",
                "A1WORKER001," + TYPE + ",1", "A1WORKER002," + TYPE + ",2", "A1UNKNOWN3," + TYPE + ",3");
        granter.mturk().knownWorkers(Set.of("A1WORKER001", "A1WORKER002"));

        Result first = granter.grant("--input", input.toString());
        assertThat(first.exitCode()).as(first.all()).isEqualTo(3);
        assertThat(ReportFile.read(dir.resolve("retry.report.csv")).outcomes())
                .isEqualTo(Map.of(2L, "GRANTED", 3L, "FAILED", 4L, "REJECTED"));

        granter.mturk().clearFaults();
        int callsBefore = granter.mturk().associateCalls().size();
        Result second = granter.grant("--input", input.toString());

        assertThat(second.exitCode()).as(second.all()).isEqualTo(3); // the REJECTED row stays as it is
        assertThat(granter.mturk().associateCalls().subList(callsBefore, granter.mturk().associateCalls().size()))
                .extracting(FakeMTurk.AssociateCall::workerId).containsExactly("A1WORKER002");
        assertThat(ReportFile.read(dir.resolve("retry.report.csv")).outcomes())
                .isEqualTo(Map.of(2L, "GRANTED", 3L, "GRANTED", 4L, "REJECTED"));

        int callsAfter = granter.mturk().associateCalls().size();
        Result third = granter.grant("--input", input.toString());
        assertThat(third.exitCode()).as(third.all()).isZero();
        assertThat(third.out()).contains("nothing to do");
        assertThat(granter.mturk().associateCalls()).hasSize(callsAfter);
    }

    @Test
    void unusableFileAndBadArgumentsAreOneLineExitTwo() {
        Result missing = granter.grant("--input", dir.resolve("nope.csv").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).contains("no such file").doesNotContain("\n").doesNotContain("Exception");

        Path noType = csv(dir, "notype.csv", "WorkerId", "A1WORKER001");
        Result withoutType = granter.grant("--input", noType.toString());
        assertThat(withoutType.exitCode()).isEqualTo(2);
        assertThat(withoutType.err()).contains("no QualificationTypeId column");

        Result badRate = granter.grant("--input", noType.toString(), "--rate", "0");
        assertThat(badRate.exitCode()).isEqualTo(2);

        Result unknownOption = granter.grant("--frobnicate");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option");
        assertThat(granter.mturk().totalRequests()).isZero();
    }

    @Test
    void singleGrantWithoutAFile() {
        Result result = granter.grant("--worker-id", "A1SOLO0001", "--qualification-type-id", TYPE,
                "--integer-value", "42", "--send-notification");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(TYPE, "A1SOLO0001"), 42));
        assertThat(granter.mturk().associateCalls()).singleElement().satisfies(call -> assertThat(call.sendNotification()).isTrue());
    }
}
