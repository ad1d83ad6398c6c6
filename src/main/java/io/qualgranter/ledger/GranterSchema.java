package io.qualgranter.ledger;

import javax.sql.DataSource;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.DatabasePopulatorUtils;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

/** Creates the granter's own tables (db/granter-schema.sql: the ledger, the run leases) when missing. */
@Component
public class GranterSchema implements InitializingBean {

    private final DataSource dataSource;

    public GranterSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() {
        DatabasePopulatorUtils.execute(new ResourceDatabasePopulator(new ClassPathResource("db/granter-schema.sql")),
                dataSource);
    }
}
