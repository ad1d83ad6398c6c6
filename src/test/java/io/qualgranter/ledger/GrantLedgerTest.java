package io.qualgranter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.ledger.GrantLedger.Entry;
import io.qualgranter.ledger.GrantLedger.Key;
import io.qualgranter.testsupport.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's SQL on PostgreSQL (the H2 side runs in every end-to-end test): a pending mark commits
 * on its own even when the chunk's transaction rolls back; a grant recorded in the chunk's
 * transaction clears it, and is undone with the chunk; endpoints are kept apart.
 */
class GrantLedgerTest {

    static PostgresDatabase database;
    static DataSource postgres;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = PostgresDatabase.create("issue4_ledger");
        postgres = new DriverManagerDataSource(database.url(), database.user(), "");
        new GranterSchema(postgres).afterPropertiesSet();
        new GranterSchema(postgres).afterPropertiesSet(); // twice: the schema script is idempotent
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void pendingMarksSurviveARolledBackChunkAndGrantsCommitWithIt() {
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(postgres);
        GrantLedger ledger = new GrantLedger(new JdbcTemplate(postgres), transactions);
        GrantRequest a = new GrantRequest("A1LEDGERPG1", "3PGTYPE", 5, false);
        GrantRequest b = new GrantRequest("A1LEDGERPG2", "3PGTYPE", 6, false);

        TransactionTemplate chunk = new TransactionTemplate(transactions);
        chunk.executeWithoutResult(status -> {
            ledger.markPending("https://sandbox", List.of(a, b), 11);
            ledger.recordGranted("https://sandbox", List.of(a), 11);
            status.setRollbackOnly(); // the crash: the chunk never commits
        });
        Map<Key, Entry> afterCrash = ledger.find("https://sandbox", List.of(a, b));
        assertThat(afterCrash.get(Key.of(a))).isEqualTo(new Entry(null, null, null, 5));
        assertThat(afterCrash.get(Key.of(b)).pendingValue()).isEqualTo(6);

        chunk.executeWithoutResult(status -> {
            ledger.recordGranted("https://sandbox", List.of(a), 12);
            ledger.clearPending("https://sandbox", List.of(b));
        });
        Map<Key, Entry> after = ledger.find("https://sandbox", List.of(a, b));
        assertThat(after.get(Key.of(a)).grantedValue()).isEqualTo(5);
        assertThat(after.get(Key.of(a)).grantedBy()).isEqualTo(12L);
        assertThat(after.get(Key.of(a)).pendingValue()).isNull();
        assertThat(after.get(Key.of(b))).isEqualTo(new Entry(null, null, null, null));
        assertThat(ledger.find("https://production", List.of(a, b))).isEmpty();
    }
}
