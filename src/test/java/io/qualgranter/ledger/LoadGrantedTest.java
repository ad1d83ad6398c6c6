package io.qualgranter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.testsupport.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Loading the ledger's granted pairs into memory, on H2 and on PostgreSQL: the pairs of the endpoint
 * and types asked for, granted and not pending, with their value and origin; nothing at all when they
 * do not fit the budget.
 */
class LoadGrantedTest {

    static final String SANDBOX = "https://sandbox";
    static PostgresDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = PostgresDatabase.create("issue6_load_granted");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void h2() throws Exception {
        check(new DriverManagerDataSource("jdbc:h2:mem:load_granted;DB_CLOSE_DELAY=-1", "sa", ""));
    }

    @Test
    void postgres() throws Exception {
        check(new DriverManagerDataSource(database.url(), database.user(), ""));
    }

    private static void check(DataSource dataSource) throws Exception {
        new GranterSchema(dataSource).afterPropertiesSet();
        GrantLedger ledger = new GrantLedger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
        List<GrantRequest> typeA = IntStream.range(0, 3000)
                .mapToObj(i -> new GrantRequest("A1LOAD" + i, "3TYPEA", i % 100, false)).toList();
        ledger.recordGranted(SANDBOX, typeA, 21);
        ledger.recordGranted(SANDBOX, List.of(new GrantRequest("A1OTHER", "3TYPEB", 5, false)), 22);
        ledger.recordGranted("https://production", List.of(new GrantRequest("A1PROD", "3TYPEA", 1, false)), 23);
        ledger.markPending(SANDBOX, List.of(new GrantRequest("A1LOAD7", "3TYPEA", 70, false)), 24); // in doubt
        ledger.markPending(SANDBOX, List.of(new GrantRequest("A1NEVER", "3TYPEA", 1, false)), 24);  // never granted

        Map<String, GrantedWorkers> loaded = ledger.loadGranted(SANDBOX, List.of("3TYPEA", "3TYPEB", "3TYPEC"),
                new GrantedWorkers.Budget(64 << 20), () -> false);

        assertThat(loaded).containsOnlyKeys("3TYPEA", "3TYPEB");
        GrantedWorkers a = loaded.get("3TYPEA");
        assertThat(a.size()).isEqualTo(2999);
        assertThat(a.find("A1LOAD42")).satisfies(entry -> {
            assertThat(entry.grantedValue()).isEqualTo(42);
            assertThat(entry.grantedBy()).isEqualTo(21L);
            assertThat(entry.grantedAt()).isNotNull();
            assertThat(entry.pendingValue()).isNull();
        });
        assertThat(a.find("A1LOAD7")).as("a pending pair needs the database's word").isNull();
        assertThat(a.find("A1NEVER")).isNull();
        assertThat(a.find("A1PROD")).as("another endpoint").isNull();
        assertThat(a.find("A1OTHER")).as("another type").isNull();
        assertThat(loaded.get("3TYPEB").find("A1OTHER").grantedValue()).isEqualTo(5);

        assertThat(ledger.loadGranted(SANDBOX, List.of("3TYPEA"), new GrantedWorkers.Budget(20_000), () -> false))
                .as("does not fit").isEmpty();
        assertThat(ledger.loadGranted(SANDBOX, List.of("3TYPEA"), new GrantedWorkers.Budget(64 << 20), () -> true))
                .as("stopped").isEmpty();
    }
}
