package io.qualgranter.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Start-up: opens an embedded H2 job repository ahead of the connection pool. Opening the database
 * file (and, with AUTO_SERVER, its TCP server) takes a noticeable part of the way to the first API
 * call; done on a background thread while the Spring context is created, the pool's first connection
 * later finds the database open. The connection is held until {@link #close()} (once the context is
 * up, the pool keeps the database open). Any failure is ignored: the pool reports its own.
 */
public final class RepositoryPreOpen implements AutoCloseable {

    private Connection connection;
    private boolean closed;

    /** True for an H2 database in a file (or on a server); PostgreSQL and in-memory H2 gain nothing from it. */
    public static boolean appliesTo(String url) {
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    /** Opens the database and keeps the connection, unless {@link #close()} came first. */
    public void open(String url, String user, String password) {
        Properties credentials = new Properties();
        credentials.setProperty("user", user == null ? "" : user);
        credentials.setProperty("password", password == null ? "" : password);
        Connection opened;
        try {
            opened = new org.h2.Driver().connect(url, credentials);
        } catch (SQLException | RuntimeException e) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                connection = opened;
                return;
            }
        }
        closeQuietly(opened);
    }

    @Override
    public void close() {
        Connection held;
        synchronized (this) {
            closed = true;
            held = connection;
            connection = null;
        }
        if (held != null) {
            closeQuietly(held);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to keep
        }
    }
}
