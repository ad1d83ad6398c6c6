package io.qualgranter.ledger;

import java.sql.DatabaseMetaData;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/** Which database holds the job repository, where the granter's SQL differs (H2 or PostgreSQL). */
public final class RepositoryDatabase {

    private RepositoryDatabase() {
    }

    /** True when {@code dataSource} is a PostgreSQL database (false when it cannot tell). */
    public static boolean isPostgres(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return product != null && product.toLowerCase(Locale.ROOT).contains("postgres");
        } catch (MetaDataAccessException e) {
            return false;
        }
    }
}
