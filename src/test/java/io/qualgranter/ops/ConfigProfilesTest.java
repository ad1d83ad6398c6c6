package io.qualgranter.ops;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * The profiles in {@code config/}, loaded the way ops/granter loads them (an additional config
 * location plus active profiles): the postgres profile really moves the job repository to
 * PostgreSQL (a database of its own, dropped afterwards), and sandbox/production load and run.
 */
class ConfigProfilesTest {

    static final String TYPE = "3TESTTYPE00000000000000000001";
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String CONFIG = "file:" + Path.of("config").toAbsolutePath() + "/";

    @TempDir
    Path dir;

    FakeMTurk mturk;
    String database;

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Test type", "Active", true);
    }

    @AfterEach
    void stop() throws Exception {
        mturk.close();
        if (database != null) {
            try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void postgresProfileKeepsTheRunsInPostgres() throws Exception {
        database = "granter_issue8_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        GranterCli cli = new GranterCli(dir.resolve("home"))
                .with("spring.config.additional-location", CONFIG)
                .with("spring.profiles.active", "postgres")
                .with("PGDATABASE", database).with("PGUSER", "postgres").with("PGHOST", "127.0.0.1");
        Path input = csv(dir, "pg.csv", "WorkerId,QualificationTypeId", "A1WORKER001," + TYPE, "A1WORKER002," + TYPE);

        Result first = cli.grant(mturk, "--input", input.toString());
        Result again = cli.grant(mturk, "--input", input.toString());

        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.all()).contains("nothing to do");
        assertThat(mturk.associateCalls()).hasSize(2);
        try (Connection c = DriverManager.getConnection(SERVER + database, "postgres", "");
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT status FROM batch_job_execution")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("COMPLETED");
            assertThat(rows.next()).as("one execution").isFalse();
        }
        assertThat(dir.resolve("home/jobrepo.mv.db")).as("no H2 repository").doesNotExist();
    }

    @Test
    void sandboxAndProductionProfilesLoadAndRun() {
        GranterCli cli = new GranterCli(dir.resolve("home"))
                .with("spring.config.additional-location", CONFIG);
        Path input = csv(dir, "p.csv", "WorkerId,QualificationTypeId", "A1WORKER001," + TYPE);

        Result sandbox = cli.with("spring.profiles.active", "sandbox").grant(mturk, "--input", input.toString());
        Result production = cli.with("spring.profiles.active", "production").run("status");

        assertThat(sandbox.exitCode()).as(sandbox.all()).isZero();
        assertThat(production.exitCode()).as(production.all()).isZero();
        assertThat(production.out()).contains("p.csv").contains("COMPLETED");
    }

    /** One source for each setting: config/ sets nothing the jar already sets, and holds the only profiles. */
    @Test
    void configSetsNoDefaultAgainAndHoldsTheOnlyProfiles() throws Exception {
        Map<String, Object> jar = yaml(new ClassPathResource("application.yml"));
        Map<String, Object> operator = yaml(new FileSystemResource("config/application.yml"));

        assertThat(jar).containsKeys("granter.chunk-size", "granter.failure-limit", "logging.logback.rollingpolicy.max-history");
        assertThat(operator.keySet()).as("config/application.yml repeats the jar's defaults").doesNotContainAnyElementsOf(jar.keySet());
        for (String profile : List.of("sandbox", "production", "postgres")) {
            assertThat(Path.of("config", "application-" + profile + ".yml")).exists();
            // the source tree, not the classpath: a build that predates this rule may keep a stale copy in target/
            assertThat(Path.of("src/main/resources", "application-" + profile + ".yml"))
                    .as("a second %s profile inside the jar", profile).doesNotExist();
        }
        assertThat(yaml(new FileSystemResource("config/application-postgres.yml")))
                .containsKeys("spring.datasource.url", "spring.datasource.hikari.maximum-pool-size");
    }

    private static Map<String, Object> yaml(Resource resource) throws Exception {
        Map<String, Object> flat = new TreeMap<>();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load(resource.getDescription(), resource)) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    flat.put(name, enumerable.getProperty(name));
                }
            }
        }
        return flat;
    }
}
