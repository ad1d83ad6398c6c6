package io.qualgranter.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * A row of GRANTER_RUN_LEASE as read, with the database's clock at reading time: who holds a lease
 * scope (host, pid, process start), for which execution, and when it last proved alive.
 */
public record LeaseHolder(String scope, String ownerToken, String host, long pid, Long processStartMs,
                          Long jobExecutionId, String description, LocalDateTime acquiredAt,
                          LocalDateTime heartbeatAt, LocalDateTime databaseNow) {

    /** Separates the host name from the process space (boot id and pid namespace) in {@code host}. */
    public static final String PROCESS_SPACE = "#";

    /**
     * Whether the owner is still running. On the same host the process itself is asked (gone, or its
     * pid reused by a later process: dead at once); from another host only the heartbeat can tell,
     * so it is alive until its heartbeat is older than {@code timeout} by the database's clock.
     */
    public boolean alive(String thisHost, Duration timeout) {
        if (host.equals(thisHost)) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return false;
            }
            Optional<Instant> started = process.get().info().startInstant();
            return processStartMs == null || started.isEmpty()
                    || Math.abs(started.get().toEpochMilli() - processStartMs) < 2_000;
        }
        return Duration.between(heartbeatAt, databaseNow).compareTo(timeout) < 0;
    }

    /** The host name alone, without the process space. */
    public String hostName() {
        int cut = host.indexOf(PROCESS_SPACE);
        return cut < 0 ? host : host.substring(0, cut);
    }

    /** "execution 12 (workers.csv) on host h1, pid 4242, started 2026-11-29 04:12:01" */
    public String describe() {
        return (jobExecutionId == null ? "a run that is starting" : "execution " + jobExecutionId)
                + (description == null || description.isBlank() ? "" : " (" + description + ")")
                + " on host " + hostName() + ", pid " + pid + ", started " + acquiredAt.withNano(0).toString().replace('T', ' ');
    }
}
