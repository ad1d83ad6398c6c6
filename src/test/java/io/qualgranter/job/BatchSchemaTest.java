package io.qualgranter.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.qualgranter.testsupport.PostgresDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Spring Batch's schema on H2 and PostgreSQL: created on first use, left alone once complete (the
 * script is not run again), and completed when part of it is missing.
 */
class BatchSchemaTest {

    @TempDir
    static Path dir;

    static Stream<String> databases() {
        return Stream.of("h2", "postgres");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void createsTheSchemaOnceAndCompletesAMissingPart(String kind) throws Exception {
        try (PostgresDatabase postgres = kind.equals("postgres") ? PostgresDatabase.create("batch_schema") : null) {
            DataSource dataSource = postgres != null
                    ? new DriverManagerDataSource(postgres.url(), postgres.user(), "")
                    : new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("jobrepo") + ";AUTO_SERVER=TRUE", "sa", "");
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);

            assertThat(schema(dataSource).complete()).isFalse();
            assertThat(schema(dataSource).initializeDatabase()).as("first use: the script runs").isTrue();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE", Long.class)).isZero();
            assertThat(schema(dataSource).initializeDatabase()).as("complete: the script is not run").isFalse();

            jdbc.execute("DROP SEQUENCE BATCH_JOB_INSTANCE_SEQ");
            assertThat(schema(dataSource).complete()).isFalse();
            assertThat(schema(dataSource).initializeDatabase()).as("a part is missing: the script runs").isTrue();
            assertThat(schema(dataSource).complete()).isTrue();
        }
    }

    private static BatchSchema schema(DataSource dataSource) {
        BatchJdbcProperties properties = new BatchJdbcProperties();
        properties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
        BatchSchema schema = new BatchSchema(dataSource, properties);
        schema.setResourceLoader(new DefaultResourceLoader());
        return schema;
    }
}
