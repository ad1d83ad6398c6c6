package io.qualgranter.input;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.ReportFile;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way operators express a grant, end to end against the loopback MTurk: JSON Lines
 * (--cli-input-json objects), a single grant, and the Requester website's worker file.
 */
class InputFormatsTest {

    static final String WRITER = "3WEBTYPEWRITER0000000000001";
    static final String SPEAKER = "3WEBTYPESPEAKER000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withTypes(fake -> fake
                .addType(WRITER, "Skilled writer", "Active", true)
                .addType(SPEAKER, "Native speaker", "Active", true)
                .addType("3WEBTYPEOTHERS0000000000001", "Skilled writer", "Active", false)); // same name, not ours

    @Test
    void jsonLinesAreTheCliInputJsonRequests() {
        Path input = csv(dir, "grants.jsonl",
                "{\"QualificationTypeId\": \"" + WRITER + "\", \"WorkerId\": \"A1JSON0001\", \"IntegerValue\": 90, \"SendNotification\": true}",
                "",
                "{\"QualificationTypeId\": \"" + SPEAKER + "\", \"WorkerId\": \"A1JSON0002\"}",
                "{\"QualificationTypeId\": \"" + WRITER + "\", \"WorkerId\": \"A1JSON0001\", \"IntegerValue\": 70}",
                "{\"QualificationTypeId\": \"" + WRITER + "\", \"WorkerId\": \"A1JSON0003\", \"IntegerValue\": 1.5}");

        Result result = granter.grant("--input", input.toString(), "--integer-value", "3", "--max-invalid", "50%");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(WRITER, "A1JSON0001"), 90, new Key(SPEAKER, "A1JSON0002"), 3));
        assertThat(granter.mturk().notificationsSent("A1JSON0001")).isEqualTo(1);
        assertThat(granter.mturk().notificationsSent("A1JSON0002")).isZero();
        ReportFile report = ReportFile.read(dir.resolve("grants.report.csv"));
        assertThat(report.outcomes()).isEqualTo(Map.of(1L, "GRANTED", 3L, "GRANTED", 4L, "DUPLICATE", 5L, "INVALID"));
        assertThat(report.detail(5)).contains("not a whole number");
    }

    @Test
    void jsonDetectedByItsFirstLineAndABrokenLineMakesTheFileUnusable() {
        Path detected = csv(dir, "requests.txt",
                "{\"QualificationTypeId\": \"" + WRITER + "\", \"WorkerId\": \"A1JSON0009\", \"IntegerValue\": 4}");
        Result ok = granter.grant("--input", detected.toString());
        assertThat(ok.exitCode()).as(ok.all()).isZero();
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(WRITER, "A1JSON0009"), 4));

        Path broken = csv(dir, "broken.jsonl",
                "{\"QualificationTypeId\": \"" + WRITER + "\", \"WorkerId\": \"A1JSON0010\"}",
                "{\"QualificationTypeId\": \"" + WRITER + "\", \"WorkerId\": ");
        Result refused = granter.grant("--input", broken.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).contains("broken.jsonl: line 2").doesNotContain("\n");
        assertThat(granter.mturk().requestCount("AssociateQualificationWithWorker")).isEqualTo(1);
    }

    @Test
    void singleGrantIsARunLikeAnyOtherAndBadIdsAreRefused() {
        Result first = granter.grant("--worker-id", "A1SOLO0001", "--qualification-type-id", WRITER, "--integer-value", "42");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(WRITER, "A1SOLO0001"), 42));

        Result again = granter.grant("--worker-id", "A1SOLO0001", "--qualification-type-id", WRITER, "--integer-value", "42");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("nothing to do");
        assertThat(granter.mturk().associateCount(WRITER, "A1SOLO0001")).isEqualTo(1);

        Result traversal = granter.grant("--worker-id", "../../etc/A1", "--qualification-type-id", WRITER);
        assertThat(traversal.exitCode()).isEqualTo(2);
        assertThat(traversal.err()).contains("--worker-id");
        assertThat(granter.mturk().associateCalls()).hasSize(1);
    }

    @Test
    void jsonLinesSingleGrantAndWebsiteFileShareOneLedger() {
        Path jsonl = csv(dir, "ledger.jsonl",
                "{\"QualificationTypeId\": \"" + WRITER + "\", \"WorkerId\": \"A1LEDGER01\", \"IntegerValue\": 90}",
                "{\"QualificationTypeId\": \"" + SPEAKER + "\", \"WorkerId\": \"A1LEDGER02\", \"IntegerValue\": 5}");
        assertThat(granter.grant("--input", jsonl.toString()).exitCode()).isZero();
        Result single = granter.grant("--worker-id", "A1LEDGER03", "--qualification-type-id", WRITER, "--integer-value", "42");
        assertThat(single.exitCode()).as(single.all()).isZero();

        Path website = csv(dir, "ledger-workers.csv",
                "Worker ID,CURRENT-Skilled writer,UPDATE-Skilled writer,CURRENT-Native speaker,UPDATE-Native speaker",
                "A1LEDGER01,90,90,,100",   // writer granted by the JSON Lines run; speaker new
                "A1LEDGER02,,,5,6",        // speaker changed from 5 to 6
                "A1LEDGER03,42,42,,");     // writer granted by the single grant
        Result fromWebsite = granter.grant("--input", website.toString());

        assertThat(fromWebsite.exitCode()).as(fromWebsite.all()).isZero();
        assertThat(ReportFile.rows(dir.resolve("ledger-workers.report.csv")))
                .extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(4)).containsExactly(
                        "2 A1LEDGER01 " + WRITER + " ALREADY_GRANTED",
                        "2 A1LEDGER01 " + SPEAKER + " GRANTED",
                        "3 A1LEDGER02 " + SPEAKER + " GRANTED",
                        "4 A1LEDGER03 " + WRITER + " ALREADY_GRANTED");

        Result singleAgain = granter.grant("--worker-id", "A1LEDGER01", "--qualification-type-id", SPEAKER,
                "--integer-value", "100");
        assertThat(singleAgain.exitCode()).as(singleAgain.all()).isZero();
        assertThat(singleAgain.out()).contains("ALREADY_GRANTED");

        assertThat(granter.mturk().grants()).isEqualTo(Map.of(
                new Key(WRITER, "A1LEDGER01"), 90, new Key(SPEAKER, "A1LEDGER01"), 100,
                new Key(SPEAKER, "A1LEDGER02"), 6, new Key(WRITER, "A1LEDGER03"), 42));
        assertThat(granter.mturk().associateCount(WRITER, "A1LEDGER01")).isEqualTo(1);
        assertThat(granter.mturk().associateCount(SPEAKER, "A1LEDGER01")).isEqualTo(1);
        assertThat(granter.mturk().associateCount(WRITER, "A1LEDGER03")).isEqualTo(1);
        assertThat(granter.mturk().associateCount(SPEAKER, "A1LEDGER02")).as("5, then the changed value 6").isEqualTo(2);
    }

    @Test
    void websiteWorkerFileGrantsEachFilledUpdateCell() {
        Path input = csv(dir, "Batch_workers.csv",
                "\"Worker ID\",\"Lifetime Approval Rate\",\"Last 30 Days Approval Rate\",\"CURRENT-Skilled writer\","
                        + "\"UPDATE-Skilled writer\",\"CURRENT-Native speaker\",\"UPDATE-Native speaker\",\"UPDATE BlockStatus\",\"BlockReason\"",
                "A1WEB0001,100% (10/10),100% (10/10),,90,,100,,",    // 2: two grants
                "A1WEB0002,95% (19/20),0% (0/0),80,,,Revoke,,",       // 3: CURRENT only → nothing; Revoke → INVALID
                "A1WEB0003,100% (1/1),100% (1/1),,,,,,",              // 4: nothing filled: nothing
                "A1WEB0004,100% (1/1),100% (1/1),,  75 ,,,,",         // 5: one grant (trimmed)
                "A1WEB0001,100% (10/10),100% (10/10),,60,,,,");       // 6: duplicate pair, conflicting value

        Result result = granter.grant("--input", input.toString(), "--max-invalid", "50%");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(
                new Key(WRITER, "A1WEB0001"), 90,
                new Key(SPEAKER, "A1WEB0001"), 100,
                new Key(WRITER, "A1WEB0004"), 75));
        List<CSVRecord> rows = ReportFile.rows(dir.resolve("Batch_workers.report.csv"));
        assertThat(rows).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(4)).containsExactly(
                "2 A1WEB0001 " + WRITER + " GRANTED",
                "2 A1WEB0001 " + SPEAKER + " GRANTED",
                "3 A1WEB0002 " + SPEAKER + " INVALID",
                "5 A1WEB0004 " + WRITER + " GRANTED",
                "6 A1WEB0001 " + WRITER + " DUPLICATE");
        assertThat(rows.get(2).get(5)).contains("this job only grants");
        assertThat(rows.get(4).get(5)).contains("conflicting value 60");
    }

    @Test
    void websiteWorkerFileResumesPerLineAndType() {
        granter.cli().with("granter.failure-limit", "1").with("granter.chunk-size", "2");
        Path input = csv(dir, "workers.csv",
                "Worker ID,UPDATE-Skilled writer,UPDATE-Native speaker",
                "A1WEB0001,90,100",
                "A1WEB0002,80,70",
                "A1WEB0003,60,50");
        granter.mturk().failAssociateFromCall(4, 500);

        // one call at a time, so that the 4th call is (A1WEB0002, Native speaker)
        Result first = granter.grant("--input", input.toString(), "--rate", "200", "--concurrency", "1");
        assertThat(first.exitCode()).as(first.all()).isEqualTo(1);
        assertThat(granter.mturk().grants()).hasSize(3);

        granter.mturk().clearFaults();
        Result second = granter.grant("--input", input.toString(), "--rate", "200");
        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(6).containsEntry(new Key(SPEAKER, "A1WEB0002"), 70)
                .containsEntry(new Key(WRITER, "A1WEB0003"), 60);
        // the rows granted before the stop are not sent again; the one that failed is retried once
        assertThat(granter.mturk().associateCount(WRITER, "A1WEB0001")).isEqualTo(1);
        assertThat(granter.mturk().associateCount(SPEAKER, "A1WEB0001")).isEqualTo(1);
        assertThat(granter.mturk().associateCount(WRITER, "A1WEB0002")).isEqualTo(1);
        assertThat(granter.mturk().associateCount(SPEAKER, "A1WEB0002")).isGreaterThan(1); // its failed first try (with the SDK's retries), then once more
        assertThat(granter.mturk().associateCount(WRITER, "A1WEB0003")).isEqualTo(1);
        assertThat(ReportFile.rows(dir.resolve("workers.report.csv"))).hasSize(6)
                .allSatisfy(r -> assertThat(r.get(4)).isEqualTo("GRANTED"));
    }

    @Test
    void websiteWorkerFileWithAnUnknownNameStopsAtPreflight() {
        Path input = csv(dir, "sandbox-workers.csv",
                "Worker ID,UPDATE-Skilled writer,UPDATE-Sandbox only qualification,UPDATE-Never used",
                "A1WEB0001,90,5,",
                "A1WEB0002,80,,");

        Result result = granter.grant("--input", input.toString());

        assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
        assertThat(result.err().strip()).contains("UPDATE-Sandbox only qualification").doesNotContain("Never used")
                .doesNotContain("\n");
        assertThat(granter.mturk().requestCount("AssociateQualificationWithWorker")).isZero();
    }

    @Test
    void dryRunOfAWebsiteWorkerFileResolvesNamesButGrantsNothing() {
        Path input = csv(dir, "dry-workers.csv", "Worker ID,UPDATE-Native speaker", "A1WEB0001,100");

        Result result = granter.grant("--input", input.toString(), "--dry-run");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(granter.mturk().requestCounts()).containsOnlyKeys("ListQualificationTypes");
        assertThat(ReportFile.rows(dir.resolve("dry-workers.report.csv"))).singleElement()
                .satisfies(r -> assertThat(r.get(2) + " " + r.get(4)).isEqualTo(SPEAKER + " WOULD_GRANT"));
    }
}
