package io.qualgranter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.sql.DataSource;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.GrantRow;
import io.qualgranter.row.Outcome;
import io.qualgranter.row.PlannedRow;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The guard settles a block of rows the same way whether the ledger's granted pairs are in memory or
 * looked up in the database: same value → ALREADY_GRANTED with the same detail; a changed value, a pair
 * in doubt (pending) or a pair granted after the load still go by what the database says now.
 */
class RerunGuardTest {

    static final String SANDBOX = "https://sandbox";

    @Test
    void settlesTheSameFromMemoryAsFromTheDatabase() {
        DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:rerun_guard;DB_CLOSE_DELAY=-1", "sa", "");
        new GranterSchema(dataSource).afterPropertiesSet();
        GrantLedger ledger = new GrantLedger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
        ledger.recordGranted(SANDBOX, List.of(request("A1SAME", 10), request("A1CHANGED", 20), request("A1DOUBT", 30)), 5);
        ledger.markPending(SANDBOX, List.of(request("A1DOUBT", 31)), 6);

        List<PlannedRow> rows = List.of(row(2, "A1SAME", 10), row(3, "A1CHANGED", 21), row(4, "A1DOUBT", 31),
                row(5, "A1NEW", 40), row(6, "A1LATER", 50));
        List<PlannedRow> fromDatabase = new RerunGuard(ledger, SANDBOX, 7, false, null, () -> false).settle(rows);

        try (RerunGuard guard = new RerunGuard(ledger, SANDBOX, 7, false, null, () -> false, 64 << 20)) {
            guard.settle(rows.subList(0, 1)); // meets the type: its granted pairs load
            guard.awaitGrantedPairs();
            ledger.recordGranted(SANDBOX, List.of(request("A1LATER", 50)), 8); // after the load
            List<PlannedRow> fromMemory = guard.settle(rows);

            assertThat(fromMemory.get(0).outcome()).isEqualTo(Outcome.ALREADY_GRANTED);
            assertThat(fromMemory.get(0).detail()).startsWith("granted by execution 5 on ")
                    .isEqualTo(fromDatabase.get(0).detail());
            assertThat(fromMemory.subList(1, 4)).as("changed value, in doubt (dry run: left to send), new")
                    .allMatch(PlannedRow::needsCall).isEqualTo(fromDatabase.subList(1, 4));
            assertThat(fromMemory.get(4).outcome()).as("granted since the load: the database's word")
                    .isEqualTo(Outcome.ALREADY_GRANTED);
            assertThat(fromMemory.get(4).detail()).startsWith("granted by execution 8 on ");
        }
    }

    private static GrantRequest request(String worker, int value) {
        return new GrantRequest(worker, "3GUARDTYPE", value, false);
    }

    private static PlannedRow row(long line, String worker, int value) {
        return PlannedRow.toSend(new GrantRow(line, worker, "3GUARDTYPE", Integer.toString(value), null),
                request(worker, value), null);
    }
}
