package io.qualgranter.pending;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.ReportFile;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --pending-requests: the pending qualification requests of the workers a run granted are reported
 * (the default), rejected with a reason, or ignored; other workers' requests are left alone.
 */
class PendingRequestsTest {

    static final String TYPE = "3PENDINGTYPE000000000000001";
    static final String OTHER_TYPE = "3PENDINGTYPE000000000000002";

    @TempDir
    Path dir;

    FakeMTurk mturk;
    GranterCli cli;
    Path input;

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Pending", "Active", true).addType(OTHER_TYPE, "Other", "Active", true)
                .addPendingRequest("3REQ0001", TYPE, "A1GRANTED01")      // granted in the run: matches
                .addPendingRequest("3REQ0002", TYPE, "A1NOTINFILE1")     // not in the file: left alone
                .addPendingRequest("3REQ0003", OTHER_TYPE, "A1GRANTED01") // another type: left alone
                .addPendingRequest("3REQ0004", TYPE, "A1INVALID");        // its row is not granted: left alone
        cli = new GranterCli(dir.resolve("home"));
        input = csv(dir, "pending.csv", "WorkerId,IntegerValue",
                "A1GRANTED01,80", "A1GRANTED02,70", "A1INVALID,x");
    }

    @AfterEach
    void stop() {
        mturk.close();
    }

    @Test
    void reportedByDefault() {
        Result result = cli.grant(mturk, "--input", input.toString(), "--qualification-type-id", TYPE, "--max-invalid", "1");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(result.out()).contains("Pending qualification requests of workers granted in this run: 1");
        assertThat(mturk.rejectedRequests()).isEmpty();
        assertThat(mturk.pendingRequests()).hasSize(4);
        List<CSVRecord> rows = ReportFile.rows(dir.resolve("pending.pending-requests.csv"));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo("3REQ0001");
            assertThat(row.get(1)).isEqualTo("A1GRANTED01");
            assertThat(row.get(4)).isEqualTo("80");
            assertThat(row.get(5)).isEqualTo("reported");
        });
    }

    @Test
    void rejectedWithAReasonSoTheScoreStays() {
        Result result = cli.grant(mturk, "--input", input.toString(), "--qualification-type-id", TYPE,
                "--max-invalid", "1", "--pending-requests", "reject");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(result.out()).contains("(1 rejected)");
        assertThat(mturk.rejectedRequests()).singleElement().satisfies(rejected -> {
            assertThat(rejected.request().requestId()).isEqualTo("3REQ0001");
            assertThat(rejected.reason()).contains("granted this qualification directly").contains("80");
        });
        assertThat(mturk.pendingRequests()).extracting(FakeMTurk.PendingRequest::requestId)
                .containsExactlyInAnyOrder("3REQ0002", "3REQ0003", "3REQ0004");
        assertThat(ReportFile.rows(dir.resolve("pending.pending-requests.csv")))
                .singleElement().satisfies(row -> assertThat(row.get(5)).isEqualTo("rejected"));
    }

    @Test
    void ignoredOnRequest() {
        Result result = cli.grant(mturk, "--input", input.toString(), "--qualification-type-id", TYPE,
                "--max-invalid", "1", "--pending-requests", "IGNORE");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(mturk.requestCount("ListQualificationRequests")).isZero();
        assertThat(Files.exists(dir.resolve("pending.pending-requests.csv"))).isFalse();
    }

    @Test
    void aSingleGrantListsThePendingRequestsBesideItsGrant() throws InterruptedException {
        // the grant's answer is held until the listing has arrived (or 10 s have passed): listed beside the grant
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean listedWhileTheGrantWaited = new AtomicBoolean();
        mturk.holdAssociateAnswersFrom(1, release);
        Thread releaser = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (mturk.requestCount("ListQualificationRequests") == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listedWhileTheGrantWaited.set(mturk.requestCount("ListQualificationRequests") > 0);
            release.countDown();
        });
        releaser.start();

        Result result = cli.grant(mturk, "--worker-id", "A1GRANTED01", "--qualification-type-id", TYPE,
                "--integer-value", "80", "--pending-requests", "reject");
        releaser.join();

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(listedWhileTheGrantWaited).as("listed while the grant's answer was held").isTrue();
        assertThat(mturk.requestCount("ListQualificationRequests")).as("listed once").isEqualTo(1);
        assertThat(result.out()).contains("Pending qualification requests of workers granted in this run: 1 (1 rejected)");
        assertThat(mturk.rejectedRequests()).singleElement()
                .satisfies(rejected -> assertThat(rejected.request().requestId()).isEqualTo("3REQ0001"));
    }

    @Test
    void aRunThatGrantsNoRowListsNoRequests() {
        Result first = cli.grant(mturk, "--input", input.toString(), "--qualification-type-id", TYPE, "--max-invalid", "1");
        assertThat(first.exitCode()).as(first.all()).isEqualTo(3);
        assertThat(mturk.requestCount("ListQualificationRequests")).isEqualTo(1);

        Path again = csv(dir, "again.csv", "WorkerId,IntegerValue", "A1GRANTED01,80", "A1GRANTED02,70");
        Result second = cli.grant(mturk, "--input", again.toString(), "--qualification-type-id", TYPE);

        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(second.out()).containsPattern("ALREADY_GRANTED +2").doesNotContainPattern("(?m)^ *GRANTED ");
        assertThat(mturk.requestCount("ListQualificationRequests")).as("no new listing").isEqualTo(1);
    }
}
