package io.qualgranter;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.DecimalFormatSymbols;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;

import javax.crypto.Mac;

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
 *   <li>initialises the JSON mappers that the validate and preflight steps use;</li>
 *   <li>loads the JDK's security providers and the digests the run uses (MD5 for Spring Batch's job
 *   keys, SHA-256 for the input's fingerprint, HmacSHA256 for request signing) and its calendar and
 *   locale data (the log file's rolling policy, the summary's numbers).</li>
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
        try {
            MessageDigest.getInstance("MD5");
            MessageDigest.getInstance("SHA-256");
            Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException absent) {
            // the run itself will say so, if it needs one
        }
        Calendar.getInstance(TimeZone.getDefault(), Locale.getDefault());
        DecimalFormatSymbols.getInstance(Locale.getDefault());
    }

    private static void initialise(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
