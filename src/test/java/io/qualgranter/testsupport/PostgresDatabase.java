package io.qualgranter.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own on the local PostgreSQL 15 (127.0.0.1:5432, trust auth, user postgres; or
 * $GRANTER_TEST_POSTGRES_URL, a server URL without database), created for one test class and dropped
 * after it. When the server cannot be reached the test fails: `.ci/run` starts it; it is never skipped.
 */
public final class PostgresDatabase implements AutoCloseable {

    private static final String SERVER = System.getenv().getOrDefault("GRANTER_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = "postgres";

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    /** Creates {@code granter_<purpose>_<random>}. */
    public static PostgresDatabase create(String purpose) {
        String name = "granter_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed by this test (.ci/run starts it): "
                    + e.getMessage(), e);
        }
        return new PostgresDatabase(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return SERVER + name;
    }

    public String user() {
        return USER;
    }

    /** A single number answered by a query against this database. */
    public long queryLong(String sql) {
        try (Connection connection = DriverManager.getConnection(url(), USER, "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A runner of the real command line whose job repository is this database (the postgres profile). */
    public GranterCli cli(java.nio.file.Path home) {
        return new GranterCli(home)
                .with("spring.profiles.active", "postgres")
                .with("spring.datasource.url", url())
                .with("spring.datasource.username", USER);
    }

    @Override
    public void close() {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop " + name + ": " + e.getMessage(), e);
        }
    }
}
