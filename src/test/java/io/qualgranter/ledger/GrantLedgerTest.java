package io.qualgranter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.ledger.GrantLedger.Claim;
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
 * transaction clears it, and is undone with the chunk; endpoints are kept apart; two runs that claim a
 * pair at once never both hold it.
 */
class GrantLedgerTest {

    static final String SANDBOX = "https://sandbox";

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
        assertThat(afterCrash.get(Key.of(a))).isEqualTo(new Entry(null, null, null, 5, 11L));
        assertThat(afterCrash.get(Key.of(b)).pendingValue()).isEqualTo(6);

        chunk.executeWithoutResult(status -> {
            ledger.recordGranted("https://sandbox", List.of(a), 12);
            ledger.clearPending("https://sandbox", List.of(b), 11);
        });
        Map<Key, Entry> after = ledger.find("https://sandbox", List.of(a, b));
        assertThat(after.get(Key.of(a)).grantedValue()).isEqualTo(5);
        assertThat(after.get(Key.of(a)).grantedBy()).isEqualTo(12L);
        assertThat(after.get(Key.of(a)).pendingValue()).isNull();
        assertThat(after.get(Key.of(b))).isEqualTo(new Entry(null, null, null, null));
        assertThat(ledger.find("https://production", List.of(a, b))).isEmpty();
    }

    @Test
    void twoRunsClaimingOnePairAtOnceNeverBothHoldIt() {
        GrantLedger ledger = new GrantLedger(new JdbcTemplate(postgres), new DataSourceTransactionManager(postgres));
        GrantRequest p = new GrantRequest("A1CLAIMPG1", "3PGCLAIM", 7, false);
        GrantRequest q = new GrantRequest("A1CLAIMPG2", "3PGCLAIM", 8, false);

        // both runs settled their rows against an empty ledger; run 21 commits its claim first
        Set<Key> first = ledger.claim(SANDBOX, List.of(new Claim(p, null), new Claim(q, null)), 21);
        Set<Key> second = ledger.claim(SANDBOX, List.of(new Claim(p, null)), 31);

        assertThat(first).containsExactlyInAnyOrder(Key.of(p), Key.of(q));
        assertThat(second).isEmpty();
        assertThat(ledger.find(SANDBOX, List.of(p)).get(Key.of(p)).pendingBy()).isEqualTo(21L);

        // run 21 grants p and q; run 31, which saw p claimed, cannot claim it again from the grant
        ledger.recordGranted(SANDBOX, List.of(p, q), 21);
        Entry seenClaimed = new Entry(null, null, null, 7, 21L);
        assertThat(ledger.claim(SANDBOX, List.of(new Claim(p, seenClaimed)), 31)).isEmpty();
        assertThat(ledger.find(SANDBOX, List.of(p)).get(Key.of(p))).extracting(Entry::grantedValue, Entry::pendingValue)
                .containsExactly(7, null);
    }

    @Test
    void aClaimIsTakenOnlyFromTheOwnerItWasCheckedAgainst() {
        GrantLedger ledger = new GrantLedger(new JdbcTemplate(postgres), new DataSourceTransactionManager(postgres));
        GrantRequest p = new GrantRequest("A1TAKEPG1", "3PGCLAIM", 3, false);
        ledger.markPending(SANDBOX, List.of(p), 41); // a run that died mid-call
        Entry dead = ledger.find(SANDBOX, List.of(p)).get(Key.of(p));

        // two runs found it in doubt and checked it: the first to claim takes it over, the other finds it taken
        assertThat(ledger.claim(SANDBOX, List.of(new Claim(p, dead)), 51)).containsExactly(Key.of(p));
        assertThat(ledger.claim(SANDBOX, List.of(new Claim(p, dead)), 61)).isEmpty();
        // its owner's grant clears its claim; a refusal recorded by another execution does not clear it
        ledger.clearPending(SANDBOX, List.of(p), 61);
        assertThat(ledger.find(SANDBOX, List.of(p)).get(Key.of(p)).pendingBy()).isEqualTo(51L);
        ledger.recordGranted(SANDBOX, List.of(p), 51);
        assertThat(ledger.find(SANDBOX, List.of(p)).get(Key.of(p))).isEqualTo(
                new Entry(3, 51L, ledger.find(SANDBOX, List.of(p)).get(Key.of(p)).grantedAt(), null, null));
    }
}
