package io.qualgranter.job;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Who may run: a lease row per scope in GRANTER_RUN_LEASE (host, pid, process start time, execution,
 * heartbeat). A command takes the lease before it starts or resumes a run and gives it back at the
 * end; a heartbeat thread keeps it fresh. A lease whose owner is gone (same host: its process is not
 * running; other host: no heartbeat for {@code granter.lease.timeout}) is taken over, and the
 * caller recovers the execution it left behind.
 *
 * <p>The scope is the run (its identity) when the job repository is a shared database such as
 * PostgreSQL, so two hosts can run different files at once; with an embedded H2 file it is the
 * whole repository: one run at a time, the others exit 4 naming it.
 */
@Component
public class RunLease {

    public static final String REPOSITORY_SCOPE = "repository";

    private static final Logger log = LoggerFactory.getLogger(RunLease.class);
    private final String columns;
    /**
     * The database's time, the same for every session: on PostgreSQL LOCALTIMESTAMP is in each session's
     * time zone, which the JDBC driver takes from each JVM, so two hosts in two time zones would read each
     * other's heartbeats hours off. Host clocks and time zones never enter a liveness decision.
     */
    private final String now;

    private final JdbcTemplate jdbc;
    private final Duration heartbeat;
    private final Duration timeout;
    private final boolean embeddedRepository;
    private final String host = hostName();

    public RunLease(DataSource dataSource,
                    @Value("${granter.lease.heartbeat:5s}") Duration heartbeat,
                    @Value("${granter.lease.timeout:60s}") Duration timeout) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.heartbeat = heartbeat;
        this.timeout = timeout;
        String url = urlOf(dataSource);
        this.embeddedRepository = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
        this.now = url.startsWith("jdbc:postgresql:") ? "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')" : "LOCALTIMESTAMP";
        this.columns = "LEASE_SCOPE, OWNER_TOKEN, HOST_NAME, PID, PROCESS_START_MS, JOB_EXECUTION_ID,"
                + " DESCRIPTION, ACQUIRED_AT, HEARTBEAT_AT, " + now;
    }

    /** The lease scope of a run: the repository when it is an embedded H2 file, else the run itself. */
    public String scopeOf(String runKey) {
        return embeddedRepository ? REPOSITORY_SCOPE : "run:" + runKey;
    }

    /**
     * Takes the scope's lease, taking it over from an owner that is gone.
     *
     * @throws RunInProgressException when a live process holds it
     */
    public Lease acquire(String scope, String description, Runnable onLost) {
        List<LeaseHolder> takenOver = new ArrayList<>();
        String token = UUID.randomUUID().toString();
        ProcessHandle self = ProcessHandle.current();
        Long startMs = self.info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                jdbc.update("INSERT INTO GRANTER_RUN_LEASE (LEASE_SCOPE, OWNER_TOKEN, HOST_NAME, PID, PROCESS_START_MS,"
                                + " DESCRIPTION, ACQUIRED_AT, HEARTBEAT_AT) VALUES (?, ?, ?, ?, ?, ?, " + now + ", " + now + ")",
                        scope, token, host, self.pid(), startMs, truncate(description));
                return new Lease(scope, token, takenOver, onLost);
            } catch (DuplicateKeyException e) {
                Optional<LeaseHolder> holder = holderOf(scope);
                if (holder.isEmpty()) {
                    continue;
                }
                if (holder.get().alive(host, timeout)) {
                    throw new RunInProgressException(holder.get());
                }
                if (jdbc.update("DELETE FROM GRANTER_RUN_LEASE WHERE LEASE_SCOPE = ? AND OWNER_TOKEN = ?",
                        scope, holder.get().ownerToken()) == 1) {
                    log.warn("Taking over the lease {} from {}: its owner is gone", scope, holder.get().describe());
                    takenOver.add(holder.get());
                }
            }
        }
        throw new IllegalStateException("could not take the lease " + scope + " (it changed hands 5 times)");
    }

    public Optional<LeaseHolder> holderOf(String scope) {
        return jdbc.query("SELECT " + columns + " FROM GRANTER_RUN_LEASE WHERE LEASE_SCOPE = ?", HOLDER, scope)
                .stream().findFirst();
    }

    /** Every lease held now, alive or not. */
    public List<LeaseHolder> holders() {
        return jdbc.query("SELECT " + columns + " FROM GRANTER_RUN_LEASE", HOLDER);
    }

    /** The lease of the given execution, if its owner is alive. */
    public Optional<LeaseHolder> liveHolderOf(long jobExecutionId) {
        return holders().stream()
                .filter(h -> h.jobExecutionId() != null && h.jobExecutionId() == jobExecutionId)
                .filter(h -> h.alive(host, timeout))
                .findFirst();
    }

    public String host() {
        return host;
    }

    public Duration timeout() {
        return timeout;
    }

    /** A lease held by this process: heartbeat on, released on close. */
    public final class Lease implements AutoCloseable {

        private final String scope;
        private final String token;
        private final List<LeaseHolder> takenOver;
        private final ScheduledExecutorService beat;

        private Lease(String scope, String token, List<LeaseHolder> takenOver, Runnable onLost) {
            this.scope = scope;
            this.token = token;
            this.takenOver = List.copyOf(takenOver);
            this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "granter-lease-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            long period = Math.max(100, heartbeat.toMillis());
            beat.scheduleWithFixedDelay(() -> {
                try {
                    if (jdbc.update("UPDATE GRANTER_RUN_LEASE SET HEARTBEAT_AT = " + now
                            + " WHERE LEASE_SCOPE = ? AND OWNER_TOKEN = ?", scope, token) == 0) {
                        log.error("The lease {} was taken over by another process: stopping", scope);
                        onLost.run();
                    }
                } catch (RuntimeException e) {
                    log.warn("Lease heartbeat failed: {}", e.toString());
                }
            }, period, period, TimeUnit.MILLISECONDS);
        }

        /** Owners that were gone when this lease was taken: their executions may need recovering. */
        public List<LeaseHolder> takenOver() {
            return takenOver;
        }

        /**
         * Proves that this process still holds the lease, right before a chunk's calls (fenced sends): a
         * process that lost it (taken over while it was cut off from the database, or frozen past the
         * timeout) must send nothing more. A database that cannot answer proves nothing either.
         */
        public void verifyHeld() {
            Integer held;
            try {
                held = jdbc.queryForObject("SELECT COUNT(*) FROM GRANTER_RUN_LEASE WHERE LEASE_SCOPE = ? AND OWNER_TOKEN = ?",
                        Integer.class, scope, token);
            } catch (RuntimeException e) {
                throw new LeaseLostException("cannot check this run's lease in the job repository ("
                        + e.getClass().getSimpleName() + "), so no more calls are sent", e);
            }
            if (held == null || held == 0) {
                throw new LeaseLostException("this run's lease was taken over by another process, so no more calls"
                        + " are sent; see 'status' for who runs it now", null);
            }
        }

        /** Names the execution this lease is for, so that others can say which run is in progress. */
        public void attach(long jobExecutionId) {
            jdbc.update("UPDATE GRANTER_RUN_LEASE SET JOB_EXECUTION_ID = ? WHERE LEASE_SCOPE = ? AND OWNER_TOKEN = ?",
                    jobExecutionId, scope, token);
        }

        @Override
        public void close() {
            beat.shutdownNow();
            try {
                jdbc.update("DELETE FROM GRANTER_RUN_LEASE WHERE LEASE_SCOPE = ? AND OWNER_TOKEN = ?", scope, token);
            } catch (RuntimeException e) {
                log.warn("Could not release the lease {}: {}", scope, e.toString());
            }
        }
    }

    private static final RowMapper<LeaseHolder> HOLDER = (rs, n) -> new LeaseHolder(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getLong(4), (Long) rs.getObject(5, Long.class), (Long) rs.getObject(6, Long.class),
            rs.getString(7), rs.getObject(8, LocalDateTime.class), rs.getObject(9, LocalDateTime.class),
            rs.getObject(10, LocalDateTime.class));

    private static String urlOf(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the job repository: " + e.getMessage(), e);
        }
    }

    /**
     * The host name, plus what makes a pid meaningful on it ({@link LeaseHolder#PROCESS_SPACE}): the
     * kernel's boot id and the pid namespace. Containers often share a host name but not a pid namespace;
     * a process in another one (or before a reboot) cannot be asked whether it is alive, so its lease is
     * judged by its heartbeat instead.
     */
    private static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            name = kernelHostName();
        }
        return name + LeaseHolder.PROCESS_SPACE + processSpace();
    }

    /** The kernel's host name (Linux), else $HOSTNAME, else "unknown-host": a name that does not resolve is still a name. */
    private static String kernelHostName() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (Exception e) {
            // not Linux
        }
        String fromEnvironment = System.getenv("HOSTNAME");
        return fromEnvironment == null || fromEnvironment.isBlank() ? "unknown-host" : fromEnvironment;
    }

    private static String processSpace() {
        String boot = "";
        String pidNamespace = "";
        try {
            boot = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).strip();
            boot = boot.length() > 8 ? boot.substring(0, 8) : boot;
        } catch (Exception e) {
            // not Linux: the host name and pid alone
        }
        try {
            pidNamespace = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString()
                    .replaceAll("[^0-9]", "");
        } catch (Exception e) {
            // not Linux
        }
        return boot + ":" + pidNamespace;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
