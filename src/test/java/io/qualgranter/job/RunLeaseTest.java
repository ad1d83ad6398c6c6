package io.qualgranter.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.qualgranter.ledger.GranterSchema;
import io.qualgranter.testsupport.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The run lease on a PostgreSQL job repository shared by two hosts (leases per run), and on the
 * default embedded H2 file (one lease for the whole repository). Another host is played by a lease
 * row with another host name: it is alive while its heartbeat is fresh, and taken over once the
 * heartbeat is older than the timeout; on this host a dead pid is taken over at once.
 */
class RunLeaseTest {

    static PostgresDatabase database;
    static DataSource postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = PostgresDatabase.create("issue4_lease");
        postgres = new DriverManagerDataSource(database.url(), database.user(), "");
        new GranterSchema(postgres).afterPropertiesSet();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void anotherHostsLeaseHoldsWhileItsHeartbeatIsFreshAndIsTakenOverAfterTheTimeout() {
        RunLease leases = new RunLease(postgres, Duration.ofMillis(200), Duration.ofSeconds(30));
        String scope = leases.scopeOf("run-key-1");
        assertThat(scope).isEqualTo("run:run-key-1");
        JdbcTemplate jdbc = new JdbcTemplate(postgres);
        jdbc.update("INSERT INTO GRANTER_RUN_LEASE (LEASE_SCOPE, OWNER_TOKEN, HOST_NAME, PID, JOB_EXECUTION_ID, DESCRIPTION,"
                + " ACQUIRED_AT, HEARTBEAT_AT) VALUES (?, 'other-token', 'other-host', 4242, 77, 'a.csv', LOCALTIMESTAMP,"
                + " LOCALTIMESTAMP)", scope);

        assertThatThrownBy(() -> leases.acquire(scope, "a.csv", () -> { }))
                .isInstanceOf(RunInProgressException.class)
                .hasMessageContaining("execution 77").hasMessageContaining("host other-host").hasMessageContaining("pid 4242");
        try (RunLease.Lease other = leases.acquire(leases.scopeOf("run-key-2"), "b.csv", () -> { })) {
            assertThat(other.takenOver()).as("another run's lease is independent").isEmpty();
        }

        jdbc.update("UPDATE GRANTER_RUN_LEASE SET HEARTBEAT_AT = LOCALTIMESTAMP - INTERVAL '31' SECOND WHERE LEASE_SCOPE = ?",
                scope);
        try (RunLease.Lease lease = leases.acquire(scope, "a.csv", () -> { })) {
            assertThat(lease.takenOver()).singleElement().satisfies(dead -> {
                assertThat(dead.host()).isEqualTo("other-host");
                assertThat(dead.jobExecutionId()).isEqualTo(77L);
            });
        }
        assertThat(leases.holders()).isEmpty();
    }

    @Test
    void aLeaseTakenOverBehindItsOwnersBackStopsTheOwner() throws Exception {
        RunLease leases = new RunLease(postgres, Duration.ofMillis(100), Duration.ofSeconds(30));
        AtomicBoolean lost = new AtomicBoolean();
        try (RunLease.Lease lease = leases.acquire(leases.scopeOf("run-key-3"), "c.csv", () -> lost.set(true))) {
            new JdbcTemplate(postgres).update("UPDATE GRANTER_RUN_LEASE SET OWNER_TOKEN = 'thief' WHERE LEASE_SCOPE = ?",
                    leases.scopeOf("run-key-3"));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!lost.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(lost).isTrue();
        new JdbcTemplate(postgres).update("DELETE FROM GRANTER_RUN_LEASE");
    }

    @Test
    void embeddedH2HasOneLeaseForTheWholeRepositoryAndADeadPidOnThisHostIsTakenOverAtOnce() {
        DataSource h2 = new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("jobrepo") + ";AUTO_SERVER=TRUE", "sa", "");
        new GranterSchema(h2).afterPropertiesSet();
        RunLease leases = new RunLease(h2, Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertThat(leases.scopeOf("run-key-1")).isEqualTo(leases.scopeOf("run-key-2")).isEqualTo(RunLease.REPOSITORY_SCOPE);

        try (RunLease.Lease held = leases.acquire(RunLease.REPOSITORY_SCOPE, "a.csv", () -> { })) {
            held.attach(5);
            assertThatThrownBy(() -> leases.acquire(RunLease.REPOSITORY_SCOPE, "b.csv", () -> { }))
                    .isInstanceOf(RunInProgressException.class)
                    .hasMessageContaining("execution 5 (a.csv)").hasMessageContaining("pid " + ProcessHandle.current().pid());
        }

        long deadPid = deadPid();
        new JdbcTemplate(h2).update("INSERT INTO GRANTER_RUN_LEASE (LEASE_SCOPE, OWNER_TOKEN, HOST_NAME, PID, JOB_EXECUTION_ID,"
                + " ACQUIRED_AT, HEARTBEAT_AT) VALUES ('repository', 'dead', ?, ?, 9, LOCALTIMESTAMP, LOCALTIMESTAMP)",
                leases.host(), deadPid);
        try (RunLease.Lease lease = leases.acquire(RunLease.REPOSITORY_SCOPE, "c.csv", () -> { })) {
            assertThat(lease.takenOver()).singleElement().satisfies(dead -> assertThat(dead.pid()).isEqualTo(deadPid));
        }
    }

    /** The pid of a process that has ended. */
    private static long deadPid() {
        try {
            Process process = new ProcessBuilder("true").start();
            process.waitFor();
            return process.pid();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
