package io.qualgranter.preflight;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.qualgranter.grant.MTurkClientFactory;
import io.qualgranter.grant.MTurkClientFactory.RetrySettings;
import io.qualgranter.grant.MTurkEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * A single grant's preflight reads, made while the Spring context starts (README, "Start-up time"): the
 * grant command knows the endpoint before Spring does, so {@code GetAccountBalance} and the owned types
 * go out once logging is set up instead of after the job has launched, and the preflight step takes their
 * answers ({@link #take}) instead of asking again. One attempt each: an answer that is not a success is not
 * used (except "no credentials"), and the preflight makes its own calls with the run's retries, so every
 * outcome and message is the one the preflight gives without them.
 *
 * <p>Never in a dry run (which makes no call). One per process: the grant command forgets it when it ends.
 */
public final class EarlyPreflight {

    /** Answers older than this are not used (the job waited for something else first). */
    static final Duration FRESH = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(EarlyPreflight.class);
    private static final RetrySettings ONE_ATTEMPT =
            new RetrySettings(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(30));

    private record Reads(URI endpoint, long startedNanos, CompletableFuture<OwnedTypes> owned) {
    }

    private static volatile Reads reads;

    private EarlyPreflight() {
    }

    /** Starts both reads on a background thread. */
    public static void start(URI endpoint) {
        CompletableFuture<OwnedTypes> owned = new CompletableFuture<>();
        reads = new Reads(MTurkEndpoints.normalize(endpoint), System.nanoTime(), owned);
        Thread thread = new Thread(() -> {
            try (MTurkClient client = MTurkClientFactory.create(endpoint, ONE_ATTEMPT, 2)) {
                owned.complete(PreflightTasklet.readBalanceAndTypes(client, true));
            } catch (RuntimeException | Error e) {
                owned.completeExceptionally(e);
            }
        }, "granter-early-preflight");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The owned types the early reads found at {@code endpoint} (waiting for them if still under way), or null
     * when there were none, they are stale, or they failed: the preflight then asks itself, with the run's retries
     * (the client's retry strategy also retries some error answers, a clock-skew signature error among them). Only
     * "no credentials" is thrown as the preflight's own call would throw it: no request was made, and the SDK's
     * chain finds nothing the second time either. Taken once.
     */
    public static OwnedTypes take(URI endpoint) {
        Reads taken = reads;
        reads = null;
        if (taken == null || !taken.endpoint().equals(MTurkEndpoints.normalize(endpoint))
                || System.nanoTime() - taken.startedNanos() > FRESH.toNanos()) {
            return null;
        }
        try {
            return taken.owned().get(ONE_ATTEMPT.callTimeout().toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException failure && ServiceErrors.noCredentials(failure)) {
                throw failure;
            }
            log.debug("The early preflight reads are not used ({}): asking again", e.getCause().toString());
            return null;
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Forgets reads not taken (a run that ended before its preflight). */
    public static void forget() {
        reads = null;
    }

}
