package io.qualgranter.job;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fault of the machine rather than of the run (no space left, a read-only or unwritable
 * $GRANTER_HOME, a file that cannot be written, the job repository lost or unreachable, a database
 * file that is not an H2 database) as one line in the operator's words and its exit code: 1 when
 * running the same command after the fix resumes, 2 when nothing was sent and the setup must change.
 *
 * <p>The state of $GRANTER_HOME is looked at when the fault is classified (can a file be created there,
 * is there space), since a database that closed itself after a failed write no longer says why.
 */
public record EnvironmentFault(int exitCode, String line) {

    /** Below this much usable space, a closed H2 database or a failed write is taken for a full disk. */
    private static final long NEARLY_FULL = 256 * 1024;
    private static final Pattern VENDOR_CODE = Pattern.compile("\\s*\\[\\d{5}-\\d+\\]");

    private static volatile Path home;

    /** $GRANTER_HOME as the application's configuration resolved it (set before logging starts). */
    public static void homeIs(Path resolved) {
        home = resolved;
    }

    /** $GRANTER_HOME as resolved, else as the defaults say (granter.home, $GRANTER_HOME, ~/.qualification-granter). */
    public static Path home() {
        Path resolved = home;
        if (resolved != null) {
            return resolved;
        }
        String named = System.getProperty("granter.home");
        if (named == null || named.isBlank()) {
            named = System.getenv("GRANTER_HOME");
        }
        return named == null || named.isBlank() ? Path.of(System.getProperty("user.home"), ".qualification-granter")
                : Path.of(named);
    }

    /** {@link #of(Throwable, Path, boolean)} for the resolved $GRANTER_HOME. */
    public static Optional<EnvironmentFault> of(Throwable failure, boolean ran) {
        return of(failure, home(), ran);
    }

    /**
     * The fault behind {@code failure}, if it is one of the machine's; {@code ran} says whether the run
     * got under way (then a fixed machine resumes it: exit 1), or nothing was sent (exit 2 where the
     * setup must change).
     */
    public static Optional<EnvironmentFault> of(Throwable failure, Path home, boolean ran) {
        String resume = ran ? "then run the same command to resume" : "then run the same command; nothing was sent";
        int fixThenRerun = ran ? ExitCodes.RESUMABLE : ExitCodes.NOTHING_SENT;
        HomeState state = HomeState.of(home);
        boolean h2 = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof Raised raised) {
                return Optional.of(raised.fault);
            }
            if (message.contains("No space left on device") || state == HomeState.FULL && isRepositoryLoss(t)) {
                LogFileFallback.explained();
                return Optional.of(new EnvironmentFault(fixThenRerun, "no space left on " + home
                        + " (the job repository and logs live there): free space, " + resume));
            }
            if (message.contains("Read-only file system") || message.contains("AUTO_SERVER=TRUE && (readOnly")
                    || state == HomeState.READ_ONLY && isH2(t)) {
                LogFileFallback.explained();
                return Optional.of(new EnvironmentFault(ran ? ExitCodes.RESUMABLE : ExitCodes.NOTHING_SENT,
                        "$GRANTER_HOME " + home + " is on a read-only filesystem (the job repository and logs live "
                                + "there): set GRANTER_HOME to a writable directory, or remount it read-write, " + resume));
            }
            if (state == HomeState.UNWRITABLE && isH2(t)) {
                LogFileFallback.explained();
                return Optional.of(new EnvironmentFault(ExitCodes.NOTHING_SENT, "cannot write in $GRANTER_HOME " + home
                        + " (permission denied): give this user write access, or set GRANTER_HOME to a writable directory, "
                        + resume));
            }
            if (t instanceof Raised raised) {
                return Optional.of(raised.fault);
            }
            if (t instanceof SQLException sql && (sql.getErrorCode() == 90048 || sql.getErrorCode() == 90030
                    || !ran && sql.getErrorCode() == 90028 && message.contains(".mv.db")
                    || message.contains("Unsupported database file version or invalid file header"))) {
                return Optional.of(new EnvironmentFault(ExitCodes.NOTHING_SENT, "the job repository file under " + home
                        + " is not an H2 database (or is damaged): move it aside or restore it from a backup, or set "
                        + "GRANTER_HOME to another directory, then run the same command; nothing was sent"));
            }
            h2 |= isH2(t);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isConnectionLoss(t)) {
                return Optional.of(new EnvironmentFault(ExitCodes.RESUMABLE, (ran ? "lost the connection to the job repository"
                        : "cannot reach the job repository") + " (details in the log): check that the database is up and "
                        + "reachable, " + (ran ? resume : "then run the same command")));
            }
            if (isRepositoryLoss(t)) {
                return Optional.of(new EnvironmentFault(ExitCodes.RESUMABLE, "the job repository under " + home
                        + " was closed under the run (details in the log): run the same command to resume"));
            }
            if (t instanceof FileSystemException file && file.getFile() != null) {
                String why = t instanceof NoSuchFileException ? "its directory does not exist"
                        : t instanceof AccessDeniedException ? "permission denied" : plain(t);
                return Optional.of(new EnvironmentFault(fixThenRerun, "cannot write " + file.getFile() + " (" + why
                        + "): fix that, " + resume));
            }
        }
        return Optional.empty();
    }

    /**
     * Before the job repository is opened in $GRANTER_HOME: a home that is read-only, not writable or full
     * is said at once (opening H2 there would print its own trace-file errors to the terminal).
     */
    public static Optional<EnvironmentFault> checkHome(Path home) {
        HomeState state = HomeState.of(home);
        if (state == HomeState.FULL || state == HomeState.READ_ONLY || state == HomeState.UNWRITABLE) {
            Exception probe = new java.io.IOException(switch (state) {
                case FULL -> "No space left on device";
                case READ_ONLY -> "Read-only file system";
                default -> "Permission denied";
            });
            return state == HomeState.UNWRITABLE
                    ? Optional.of(new EnvironmentFault(ExitCodes.NOTHING_SENT, "cannot write in $GRANTER_HOME " + home
                            + " (permission denied): give this user write access, or set GRANTER_HOME to a writable "
                            + "directory, then run the same command; nothing was sent"))
                    : of(probe, home, false);
        }
        return Optional.empty();
    }

    /** A fault found before the run, thrown to end the command with its line. */
    public static final class Raised extends RuntimeException {
        private final EnvironmentFault fault;

        public Raised(EnvironmentFault fault) {
            super(fault.line(), null, false, false);
            this.fault = fault;
        }

        public EnvironmentFault fault() {
            return fault;
        }
    }

    /** A message for the terminal without H2's error codes ({@code [90098-240]}) or line breaks. */
    public static String plain(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return VENDOR_CODE.matcher(message).replaceAll("").replace('\n', ' ').replace('\r', ' ').strip();
    }

    private static boolean isH2(Throwable t) {
        return t.getClass().getName().startsWith("org.h2.");
    }

    /** H2's "The database has been closed" (90098) or a file store that failed under it. */
    private static boolean isRepositoryLoss(Throwable t) {
        String message = String.valueOf(t.getMessage());
        return t instanceof SQLException sql && (sql.getErrorCode() == 90098 || sql.getErrorCode() == 90028)
                || isH2(t) && (message.contains("database has been closed") || message.contains("File corrupted"))
                || t.getClass().getName().equals("org.h2.mvstore.MVStoreException") && message.contains("closed");
    }

    /** PostgreSQL (or any JDBC server) gone: SQLState class 08, an administrator's shutdown or termination. */
    private static boolean isConnectionLoss(Throwable t) {
        if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        }
        String name = t.getClass().getName();
        return name.endsWith("CannotGetJdbcConnectionException")
                || t instanceof SQLException && String.valueOf(t.getMessage()).contains("Connection is closed");
    }

    /** What a probe file in $GRANTER_HOME finds. */
    enum HomeState {
        WRITABLE, FULL, READ_ONLY, UNWRITABLE, UNKNOWN;

        static HomeState of(Path home) {
            if (home == null) {
                return UNKNOWN;
            }
            Path existing = home.toAbsolutePath();
            while (existing != null && !Files.isDirectory(existing)) { // a home not made yet: where it would be made
                existing = existing.getParent();
            }
            if (existing == null) {
                return UNKNOWN;
            }
            return probe(existing);
        }

        private static HomeState probe(Path home) {
            try {
                Path probe = Files.createTempFile(home, ".probe", ".tmp");
                try {
                    Files.write(probe, new byte[4096]);
                } finally {
                    Files.deleteIfExists(probe);
                }
                return usable(home) < NEARLY_FULL ? FULL : WRITABLE;
            } catch (IOException e) {
                String message = String.valueOf(e.getMessage());
                if (message.contains("No space left")) {
                    return FULL;
                }
                if (message.contains("Read-only file system")) {
                    return READ_ONLY;
                }
                return e instanceof AccessDeniedException ? UNWRITABLE : UNKNOWN;
            }
        }

        private static long usable(Path home) {
            try {
                return Files.getFileStore(home).getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE;
            }
        }
    }
}
