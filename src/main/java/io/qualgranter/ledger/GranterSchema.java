package io.qualgranter.ledger;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates the granter's own tables (db/granter-schema.sql: the ledger, the run leases, the runs' outcomes)
 * when missing. Each statement of the script runs only when its object (table, column, index) is missing:
 * on PostgreSQL even {@code ADD COLUMN IF NOT EXISTS} and {@code CREATE INDEX IF NOT EXISTS} lock their
 * table first, so a host starting beside a live run would wait for the run's open chunk transaction (for
 * as long as its calls take) and, queued for the lock, stall the run's own writes meanwhile.
 * On PostgreSQL the outcome blocks' bodies are stored as they come: they are deflated
 * already, and the server's own compression of each block, only to give up, cost about a fifth of its CPU
 * in a million-row dry run. (Like the script's {@code ADD COLUMN IF NOT EXISTS}, that needs the tables'
 * owner: the user that created them.)
 * Two hosts starting at the same moment on a fresh PostgreSQL database both try: there, a concurrent
 * {@code CREATE TABLE IF NOT EXISTS} can still fail on the catalog's unique index, so a failed
 * attempt is tried again once the other host's tables are committed.
 */
@Component
public class GranterSchema implements InitializingBean {

    private static final int ATTEMPTS = 5;
    private static final String SCRIPT = "db/granter-schema.sql";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public GranterSchema(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public void afterPropertiesSet() {
        List<String> statements = SchemaScript.statements(new ClassPathResource(SCRIPT));
        for (int attempt = 1; ; attempt++) {
            try {
                for (String statement : SchemaScript.missing(jdbc, statements)) {
                    jdbc.execute(statement);
                }
                if (RepositoryDatabase.isPostgres(dataSource)) {
                    storeBlockBodiesUncompressed();
                }
                return;
            } catch (DataAccessException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                pause(100L * attempt);
            }
        }
    }

    /**
     * {@code STORAGE EXTERNAL}: out of line when large, never compressed. Altered only when not so already
     * (the statement locks the table for a moment: another host may be writing blocks).
     */
    private void storeBlockBodiesUncompressed() {
        String storage = jdbc.queryForObject("SELECT attstorage::text FROM pg_attribute"
                + " WHERE attrelid = 'granter_outcome_block'::regclass AND attname = 'body'", String.class);
        if (!"e".equals(storage)) {
            jdbc.execute("ALTER TABLE GRANTER_OUTCOME_BLOCK ALTER COLUMN BODY SET STORAGE EXTERNAL");
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the granter's tables", e);
        }
    }
}
