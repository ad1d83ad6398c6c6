package io.qualgranter.job;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The log file must never make the terminal noisy: when its directory cannot be written at start-up,
 * logging goes on without the file (the console stays off); Logback's own status messages (an appender
 * that cannot open or write its file, e.g. on a full disk, with their stack traces) are kept from the
 * terminal, the first one remembered, and the command says it once at its end ({@link #sayOnce}).
 */
public final class LogFileFallback {

    private static volatile String problem;
    private static volatile boolean said;

    private LogFileFallback() {
    }

    /** What went wrong with the log file in this command, or null. */
    public static String problem() {
        return problem;
    }

    /** The command's last line already says why the log file could not be written (e.g. no space left there). */
    public static void explained() {
        said = true;
    }

    /** Tells the operator, once, that the log file could not be written (unless already explained). */
    public static void sayOnce(PrintWriter err) {
        String text = problem;
        if (text != null && !said) {
            said = true;
            err.println("granter: " + text + "; the run's details are not in the log");
            err.flush();
        }
    }

    public static void reset() {
        problem = null;
        said = false;
    }

    private static void remember(String text) {
        if (problem == null) {
            problem = text;
        }
    }

    /** Before logging starts: a log directory that cannot be written turns the file off. */
    static void checkLogDirectory(ConfigurableEnvironment environment) {
        String name = environment.getProperty("logging.file.name");
        if (name == null || name.isBlank()) {
            return;
        }
        Path file = Path.of(name).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Path probe = Files.createTempFile(file.getParent(), ".probe", ".tmp");
            Files.deleteIfExists(probe);
        } catch (IOException | RuntimeException e) {
            remember("cannot write the log file " + file + " (" + reason(e) + ")");
            environment.getPropertySources().addFirst(new MapPropertySource("granterLogFileFallback",
                    Map.of("logging.file.name", "")));
        }
    }

    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Read-only file system")) {
            return "read-only file system";
        }
        if (message.contains("No space left")) {
            return "no space left";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file is where its directory should be";
        }
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : message;
    }

    /** Swaps Spring Boot's status listener, which prints Logback's warnings and errors to the terminal, for a quiet one. */
    static void quietStatus() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        StatusManager statusManager = context.getStatusManager();
        for (StatusListener listener : statusManager.getCopyOfStatusListenerList()) {
            if (!(listener instanceof Quiet)) {
                statusManager.remove(listener);
            }
        }
        statusManager.add(new Quiet());
    }

    /** Remembers the first Logback error; prints nothing. */
    static final class Quiet implements StatusListener {

        @Override
        public void addStatusEvent(Status status) {
            if (status.getEffectiveLevel() >= Status.ERROR) {
                String text = status.getMessage();
                Throwable cause = status.getThrowable();
                String why = cause == null ? "" : String.valueOf(cause.getMessage());
                remember("the log file could not be written (" + (why.contains("No space left") ? "no space left"
                        : why.isEmpty() ? text : why) + ")");
            }
        }

        @Override
        public boolean isResetResistant() {
            return true;
        }
    }

    /** Runs before logging starts (after the config files are read, with PrivateHome). */
    public static final class BeforeLogging implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            checkLogDirectory(event.getEnvironment());
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 16;
        }
    }

    /** Runs right after Spring Boot has set logging up. */
    public static final class AfterLogging implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            quietStatus();
            String url = event.getEnvironment().getProperty("spring.datasource.url", "");
            String home = event.getEnvironment().getProperty("granter.home");
            if (url.startsWith("jdbc:h2:file:") && home != null && !home.isBlank()) {
                EnvironmentFault.checkHome(Path.of(home).toAbsolutePath()).ifPresent(fault -> {
                    throw new EnvironmentFault.Raised(fault);
                });
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 21;
        }
    }
}
