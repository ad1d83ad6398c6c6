package io.qualgranter.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.GrantRow;
import io.qualgranter.row.Outcome;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.testsupport.SeededRandom;
import io.qualgranter.testsupport.SeededTries;
import org.junit.jupiter.api.Test;

/** The bytes of a block are those the general path writes: OutcomeCsv.toLine of the settled row, or the placeholder. */
class BlockTextTest {

    @Test
    void everyLineIsTheGeneralPathsLine() {
        SeededTries.run(300, random -> {
            List<PlannedRow> rows = random.listOf(1, 40, () -> row(random));
            BlockText text = new BlockText(random.between(1, 100)); // small: the array grows on the way

            StringBuilder expected = new StringBuilder();
            for (PlannedRow row : rows) {
                text.append(row);
                expected.append(row.needsCall() ? row.row().line() + ",,,,," : OutcomeCsv.toLine(row.settled())).append('\n');
            }

            assertThat(new String(Arrays.copyOf(text.bytes(), text.length()), StandardCharsets.UTF_8))
                    .isEqualTo(expected.toString());
        });
    }

    @Test
    void clearStartsAnEmptyText() {
        BlockText text = new BlockText(8);
        GrantRow row = new GrantRow(7, "A1", "3T", "5", null);
        text.append(PlannedRow.settled(row, new GrantRequest("A1", "3T", 5, false), Outcome.WOULD_GRANT, null));
        text.clear();
        text.append(PlannedRow.toSend(row, new GrantRequest("A1", "3T", 5, false), null));

        assertThat(new String(text.bytes(), 0, text.length(), StandardCharsets.UTF_8)).isEqualTo("7,,,,,\n");
    }

    static PlannedRow row(SeededRandom random) {
        long line = random.chance(0.05) ? random.anyLong() : random.between(1, 5_000_000);
        String worker = id(random, "A");
        String type = id(random, "3");
        int value = random.chance(0.2) ? random.anyInt() : random.between(-100, 100);
        GrantRow row = new GrantRow(line, worker, type, Integer.toString(value), "false");
        GrantRequest request = new GrantRequest(worker, type, value, random.chance(0.5));
        String detail = detail(random);
        if (random.chance(0.15)) {
            return PlannedRow.toSend(row, request, detail);
        }
        if (random.chance(0.15)) { // an INVALID row: the cells as read, no request
            GrantRow raw = new GrantRow(line, random.string(12, "A1 ,\"=-é\n"), random.string(8, "3T\t+@"),
                    random.string(5, "-12x "), null);
            return PlannedRow.settled(raw, null, Outcome.INVALID, detail);
        }
        return PlannedRow.settled(row, request, random.oneOf(Outcome.values()), detail);
    }

    /** Mostly ids as validated; now and then anything a request might hold. */
    private static String id(SeededRandom random, String first) {
        if (random.chance(0.1)) {
            return random.string(6, "Ab1 ,\"=+-@\té");
        }
        return first + random.string(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    }

    private static String detail(SeededRandom random) {
        return random.weighted(new int[] {3, 3, 2, 2, 1},
                r -> null,
                r -> "",
                r -> "conflicting value " + r.between(-9, 99) + " (the first row for this pair has " + r.between(0, 9) + ")",
                r -> r.string(30, "ab =+-@,\"\r\n\t'é~"),
                r -> "x".repeat(r.between(495, 505)));
    }
}
