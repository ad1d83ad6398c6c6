package io.qualgranter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.qualgranter.testsupport.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The granter's tables are created once; a later start creates only what is missing, and on PostgreSQL
 * it does not wait for a live run's open chunk transaction (issue 13's second host, found while making
 * SeveralHostsPostgresTest independent of how fast a host starts).
 */
class GranterSchemaTest {

    private static final List<String> STATEMENTS = SchemaScript.statements(new ClassPathResource("db/granter-schema.sql"));

    @Test
    void theScriptIsReadAsItsSevenStatementsWithoutComments() {
        assertThat(STATEMENTS).hasSize(7).noneMatch(statement -> statement.contains("--"));
        assertThat(STATEMENTS.get(0)).startsWith("CREATE TABLE IF NOT EXISTS GRANTER_LEDGER (").endsWith(")");
        assertThat(STATEMENTS.get(1)).isEqualTo("ALTER TABLE GRANTER_LEDGER ADD COLUMN IF NOT EXISTS SOURCE VARCHAR(10)");
    }

    @Test
    void onH2OnlyWhatIsMissingIsCreated() throws Exception {
        DataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:schema" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        assertThat(SchemaScript.missing(new JdbcTemplate(h2), STATEMENTS)).isEqualTo(STATEMENTS);

        new GranterSchema(h2).afterPropertiesSet();
        assertThat(SchemaScript.missing(new JdbcTemplate(h2), STATEMENTS)).isEmpty();

        execute(h2, "DROP INDEX GRANTER_RUN_ROW_WORKER", "ALTER TABLE GRANTER_LEDGER DROP COLUMN SOURCE");
        assertThat(SchemaScript.missing(new JdbcTemplate(h2), STATEMENTS)).containsExactly(STATEMENTS.get(1), STATEMENTS.get(6));
        new GranterSchema(h2).afterPropertiesSet();
        assertThat(SchemaScript.missing(new JdbcTemplate(h2), STATEMENTS)).isEmpty();
    }

    @Test
    void onPostgresAStartBesideAnOpenChunkTransactionDoesNotWaitForIt() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create("schema")) {
            DataSource postgres = new DriverManagerDataSource(database.url(), database.user(), "");
            new GranterSchema(postgres).afterPropertiesSet();
            assertThat(SchemaScript.missing(new JdbcTemplate(postgres), STATEMENTS)).isEmpty();

            try (Connection liveRun = postgres.getConnection(); Statement chunk = liveRun.createStatement()) {
                liveRun.setAutoCommit(false); // a chunk's transaction, open while its calls are answered
                chunk.execute("INSERT INTO GRANTER_LEDGER (ENDPOINT, QUALIFICATION_TYPE_ID, WORKER_ID, INTEGER_VALUE)"
                        + " VALUES ('e', 't', 'w', 1)");
                chunk.execute("INSERT INTO GRANTER_RUN_ROW VALUES (1, 1, 2, 'w', 't', 1, FALSE, NULL, NULL, NULL)");
                chunk.execute("INSERT INTO GRANTER_OUTCOME_BLOCK VALUES (1, 0, 1, 1, '', 1, '\\x00')");
                try {
                    CompletableFuture<Void> secondHost = CompletableFuture.runAsync(
                            () -> new GranterSchema(postgres).afterPropertiesSet());
                    secondHost.get(30, TimeUnit.SECONDS); // before: waited for the chunk's commit, here never
                } finally {
                    liveRun.rollback();
                }
            }
        }
    }

    private static void execute(DataSource dataSource, String... statements) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
