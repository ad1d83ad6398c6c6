package io.qualgranter.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.qualgranter.ledger.GranterSchema;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.testsupport.PostgresDatabase;
import io.qualgranter.testsupport.SeededRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The run's outcome blocks on PostgreSQL: stored as they come (already deflated: no compression by the
 * server), and the plan step's chunk commits without waiting for the disk, that chunk alone.
 */
class RunOutcomesOnPostgresTest {

    PostgresDatabase database;
    DriverManagerDataSource dataSource;

    @BeforeEach
    void createDatabase() {
        database = PostgresDatabase.create("outcome_blocks");
        dataSource = new DriverManagerDataSource(database.url(), database.user(), "");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void blockBodiesAreStoredUncompressedOnEveryStart() {
        new GranterSchema(dataSource).afterPropertiesSet();
        new GranterSchema(dataSource).afterPropertiesSet(); // a second start: already so, nothing altered

        assertThat(database.queryLong("SELECT COUNT(*) FROM pg_attribute WHERE attrelid = 'granter_outcome_block'::regclass"
                + " AND attname = 'body' AND attstorage = 'e'")).isEqualTo(1);
    }

    @Test
    void aPlanChunkCommitsAsynchronouslyAndReadsBackWhole() {
        new GranterSchema(dataSource).afterPropertiesSet();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        RunOutcomes outcomes = new RunOutcomes(jdbc, true);
        SeededRandom random = new SeededRandom(12);
        List<PlannedRow> rows = new ArrayList<>();
        while (rows.size() < 3_000) {
            PlannedRow row = BlockTextTest.row(random);
            if (!row.needsCall()) {
                rows.add(row);
            }
        }
        TransactionTemplate chunk = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        String inChunk = chunk.execute(status -> {
            outcomes.writeBlock(7, 70, 0, rows);
            return jdbc.queryForObject("SHOW synchronous_commit", String.class);
        });
        String after = chunk.execute(status -> jdbc.queryForObject("SHOW synchronous_commit", String.class));

        assertThat(inChunk).isEqualTo("off");
        assertThat(after).as("the next transaction commits as the server is set").isEqualTo("on");
        RunOutcomes.Block block = outcomes.blockFrom(7, 0);
        assertThat(block.itemCount()).isEqualTo(rows.size());
        assertThat(block.lines()).isEqualTo(BlockBodyTest.linesOf(rows));
        assertThat(outcomes.plannedItems(7)).isEqualTo(rows.size());
    }
}
