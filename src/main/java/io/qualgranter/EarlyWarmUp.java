package io.qualgranter;

import io.qualgranter.input.TypeReferences;
import io.qualgranter.job.BatchEventsWarmUp;
import io.qualgranter.preflight.ResolvedTypes;

import org.springframework.boot.SpringApplication;

/**
 * Start-up (README, "Start-up time"), the first of two warm-up threads: {@code granter grant} starts it
 * before its command line is parsed, and it does what needs neither the arguments nor the configuration
 * while the main thread builds picocli's model (~0.1 s, picocli's classes being built for Java 5, which
 * the start-up cache cannot hold):
 * <ol>
 *   <li>loads Spring Batch's flight-recorder events ({@link BatchEventsWarmUp});</li>
 *   <li>creates a throw-away {@link SpringApplication}: its class, the {@code spring.factories} of every
 *   jar and the listeners they name, which the real one then finds loaded;</li>
 *   <li>initialises the JSON mappers that the validate and preflight steps use.</li>
 * </ol>
 * Nothing here reads the configuration, logs or touches a file. The second thread, once the
 * configuration is read, is {@link StartUpWarmUp}.
 */
public final class EarlyWarmUp {

    private EarlyWarmUp() {
    }

    public static void start() {
        Thread thread = new Thread(EarlyWarmUp::run, "granter-early-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    static void run() {
        BatchEventsWarmUp.run();
        new SpringApplication(GranterApplication.class);
        initialise(TypeReferences.class);
        initialise(ResolvedTypes.class);
    }

    private static void initialise(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
