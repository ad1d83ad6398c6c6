package io.qualgranter.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.testsupport.SeededRandom;
import io.qualgranter.testsupport.SeededTries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The duplicate filter is exact: fingerprint collisions and the on-disk overflow never change a verdict. */
class DuplicateFilterTest {

    @TempDir
    Path dir;

    @Test
    void pairsWithTheSameFingerprintAreStillDifferentPairs() {
        try (DuplicateFilter filter = new DuplicateFilter(dir.resolve("keys"), (type, worker) -> 42L, 1_000)) {
            assertThat(filter.firstValueOrRecord(request("3TYPE", "A1WORKER1", 10))).isNull();
            assertThat(filter.firstValueOrRecord(request("3TYPE", "A1WORKER2", 20))).as("collision, new pair").isNull();
            assertThat(filter.firstValueOrRecord(request("3OTHER", "A1WORKER1", 30))).as("collision, new pair").isNull();
            assertThat(filter.firstValueOrRecord(request("3TYPE", "A1WORKER2", 99))).isEqualTo(20);
            assertThat(filter.firstValueOrRecord(request("3TYPE", "A1WORKER1", 10))).isEqualTo(10);
            assertThat(filter.firstValueOrRecord(request("3OTHER", "A1WORKER1", 1))).isEqualTo(30);
            assertThat(filter.fingerprints()).isEqualTo(1);
        }
    }

    @Test
    void fingerprintsBeyondTheMemoryLimitSpillToDiskAndStayExact() {
        Path scratch = dir.resolve("keys");
        try (DuplicateFilter filter = new DuplicateFilter(scratch, DuplicateFilter::fingerprint, 100)) {
            for (int i = 0; i < 5_000; i++) {
                assertThat(filter.firstValueOrRecord(request("3TYPE", "A" + i, i))).isNull();
            }
            assertThat(filter.spilled()).isTrue();
            for (int i = 0; i < 5_000; i++) {
                assertThat(filter.firstValueOrRecord(request("3TYPE", "A" + i, -1))).isEqualTo(i);
            }
            assertThat(filter.fingerprints()).isEqualTo(5_000);
        }
        assertThat(scratch).doesNotExist();
        assertThat(scratch.resolveSibling("keys.overflow")).doesNotExist();
    }

    /**
     * The scratch file numbers the first types it meets and writes the others out in full: pairs of both
     * kinds, compared with each other through fingerprints that collide, keep exact verdicts.
     */
    @Test
    void typesBeyondTheNumberedOnesStayExact() {
        int types = PairKeyFile.NUMBERED_TYPES + 300;
        Map<String, Integer> exact = new HashMap<>();
        try (DuplicateFilter filter = new DuplicateFilter(dir.resolve("keys"), (type, worker) -> worker.hashCode() % 5, 10_000)) {
            for (int round = 0; round < 2; round++) {
                for (int t = 0; t < types; t++) {
                    for (String worker : List.of("A1", "A2")) {
                        GrantRequest row = request(new String("3T" + t), worker, round * 100 + t % 7); // a new String each time
                        Integer expected = exact.putIfAbsent(row.qualificationTypeId() + "/" + worker, row.integerValue());
                        assertThat(filter.firstValueOrRecord(row)).as(row.toString()).isEqualTo(expected);
                    }
                }
            }
        }
        assertThat(exact).hasSize(2 * types);
    }

    /** Any sequence of rows, any fingerprint function (even one that collides all the time), any memory limit. */
    @Test
    void verdictsMatchAnExactMap() {
        SeededTries.run(200, random -> {
            List<GrantRequest> rows = random.listOf(0, 300, () -> row(random));
            int fingerprintBits = random.between(1, 64);
            int maxInMemory = random.between(1, 50);
            long mask = fingerprintBits == 64 ? -1L : (1L << fingerprintBits) - 1;
            Map<String, Integer> exact = new HashMap<>();
            try (DuplicateFilter filter = new DuplicateFilter(Files.createTempFile(dir, "dedup", ".keys"),
                    (t, w) -> DuplicateFilter.fingerprint(t, w) & mask, maxInMemory)) {
                for (GrantRequest row : rows) {
                    Integer expected = exact.putIfAbsent(row.qualificationTypeId() + "/" + row.workerId(), row.integerValue());
                    assertThat(filter.firstValueOrRecord(row)).as(row.toString()).isEqualTo(expected);
                }
            }
        });
    }

    private static GrantRequest row(SeededRandom random) {
        String worker = random.oneOf("A1", "A2", "A10", "A1B", "AZZZ", "A0000000000001", "A" + "9".repeat(63));
        String type = random.oneOf("3T", "3T2", "T" + "Z".repeat(63));
        return new GrantRequest(worker, type, random.between(-5, 5), false);
    }

    private static GrantRequest request(String type, String worker, int value) {
        return new GrantRequest(worker, type, value, false);
    }
}
