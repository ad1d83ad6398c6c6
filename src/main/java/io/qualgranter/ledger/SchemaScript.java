package io.qualgranter.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.Resource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements of the granter's schema script, and which of them still have something to create.
 * The script holds only {@code CREATE TABLE IF NOT EXISTS t}, {@code ALTER TABLE t ADD COLUMN IF NOT
 * EXISTS c} and {@code CREATE [UNIQUE] INDEX IF NOT EXISTS i ON t}; their objects are looked up in the
 * database's catalog (which takes no lock on the tables). Any other statement always counts as missing.
 */
final class SchemaScript {

    private static final Pattern TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern COLUMN = Pattern.compile("ALTER TABLE (\\w+) ADD COLUMN IF NOT EXISTS (\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INDEX = Pattern.compile("CREATE (?:UNIQUE )?INDEX IF NOT EXISTS (\\w+) ON (\\w+)",
            Pattern.CASE_INSENSITIVE);

    private SchemaScript() {
    }

    /** The script's statements in order, without its {@code --} comment lines. */
    static List<String> statements(Resource script) {
        String text;
        try {
            text = script.getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script.getDescription(), e);
        }
        StringBuilder sql = new StringBuilder();
        text.lines().filter(line -> !line.strip().startsWith("--")).forEach(line -> sql.append(line).append('\n'));
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    /** Those of {@code statements} whose table, column or index is not in the database yet, in order. */
    static List<String> missing(JdbcTemplate jdbc, List<String> statements) {
        return jdbc.execute((ConnectionCallback<List<String>>) connection -> {
            Catalog catalog = new Catalog(connection);
            List<String> missing = new ArrayList<>();
            for (String statement : statements) {
                if (!catalog.holdsObjectOf(statement)) {
                    missing.add(statement);
                }
            }
            return missing;
        });
    }

    private static final class Catalog {

        private final DatabaseMetaData meta;
        private final String schema;

        Catalog(Connection connection) throws SQLException {
            this.meta = connection.getMetaData();
            this.schema = connection.getSchema();
        }

        boolean holdsObjectOf(String statement) throws SQLException {
            Matcher table = TABLE.matcher(statement);
            if (table.lookingAt()) {
                return hasTable(table.group(1));
            }
            Matcher column = COLUMN.matcher(statement);
            if (column.lookingAt()) {
                return hasColumn(column.group(1), column.group(2));
            }
            Matcher index = INDEX.matcher(statement);
            if (index.lookingAt()) {
                return hasIndex(index.group(2), index.group(1));
            }
            return false;
        }

        private boolean hasTable(String table) throws SQLException {
            try (ResultSet rows = meta.getTables(null, schema, stored(table), null)) {
                return anyNamed(rows, "TABLE_NAME", table);
            }
        }

        private boolean hasColumn(String table, String column) throws SQLException {
            try (ResultSet rows = meta.getColumns(null, schema, stored(table), stored(column))) {
                return anyNamed(rows, "COLUMN_NAME", column);
            }
        }

        private boolean hasIndex(String table, String index) throws SQLException {
            try (ResultSet rows = meta.getIndexInfo(null, schema, stored(table), false, true)) {
                return anyNamed(rows, "INDEX_NAME", index);
            }
        }

        /** The name as the database stores an unquoted identifier (PostgreSQL: lower case, H2: upper). */
        private String stored(String name) throws SQLException {
            if (meta.storesLowerCaseIdentifiers()) {
                return name.toLowerCase(Locale.ROOT);
            }
            return meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
        }

        /** Whether a row names exactly {@code name} (the catalog's patterns read {@code _} as any character). */
        private static boolean anyNamed(ResultSet rows, String label, String name) throws SQLException {
            while (rows.next()) {
                if (name.equalsIgnoreCase(rows.getString(label))) {
                    return true;
                }
            }
            return false;
        }
    }
}
