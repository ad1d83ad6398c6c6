package io.qualgranter.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Job repository databases for tests that work on the granter's own tables without the whole
 * command: an H2 file like the default one, and a throwaway PostgreSQL database on the local server
 * (127.0.0.1:5432, user postgres), dropped again by {@link #dropPostgres}.
 */
public final class Databases {

    public static final String POSTGRES_SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private Databases() {
    }

    public static DataSource h2File(Path directory) {
        return new DriverManagerDataSource("jdbc:h2:file:" + directory.resolve("jobrepo") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0",
                "sa", "");
    }

    /** Creates a database with a unique name; answers its name. */
    public static String createPostgres(String prefix) throws SQLException {
        String name = prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection(POSTGRES_SERVER + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    public static DataSource postgres(String name) {
        return new DriverManagerDataSource(POSTGRES_SERVER + name, "postgres", "");
    }

    public static void dropPostgres(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES_SERVER + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
