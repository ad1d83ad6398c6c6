package io.qualgranter.grant;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.LongSupplier;

import com.google.common.util.concurrent.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The rate at which requests go out, adapted to what the service accepts (AIMD, as TCP does): every
 * attempt takes a permit from a Guava token bucket; two slow-down answers (throttling, 503) within
 * {@link #CONFIRM}, to attempts sent since the last cut and at least {@link #HOLD} after it, cut the
 * rate to {@value #DECREASE} of what the service accepted over the last second (but at most halfway
 * down from what was being sent); each {@link #INCREASE_INTERVAL} of
 * successful calls raises it by a fixed step, never above the ceiling ({@code --rate}). Each change
 * is logged once at INFO.
 */
public class AdaptiveRate {

    /** Factor applied to the rate on a slow-down answer. */
    static final double DECREASE = 0.8;
    /**
     * After a cut, slow-down answers are ignored this long: the service's own bucket, emptied by the
     * rate before the cut, needs time to refill before an answer says anything about the new rate.
     */
    static final Duration HOLD = Duration.ofSeconds(1);
    /** A cut needs a second slow-down answer within this time of the first (both counted as below). */
    static final Duration CONFIRM = Duration.ofSeconds(1);
    /** How often the rate may be raised while calls succeed. */
    static final Duration INCREASE_INTERVAL = Duration.ofSeconds(1);
    /**
     * The additive step, as a share of the rate being sent when the last cut came (so the rate is
     * back there 7 intervals after a cut, as CUBIC returns to its last maximum, then goes on rising).
     */
    static final double STEP_SHARE = 0.015;
    /** The smallest additive step, in requests per second. */
    static final double MIN_STEP = 0.1;
    /** Never slower than this many requests per second (unless the ceiling is lower). */
    static final double FLOOR = 0.5;

    private static final Logger log = LoggerFactory.getLogger(AdaptiveRate.class);
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

    private final double ceiling;
    private final double floor;
    private final LongSupplier nanoClock;
    private volatile RateLimiter bucket;

    // guarded by this
    private double rate;
    private double step;
    private long permitsIssued;
    private long firstPermitOfRate;
    private long nextIncreaseAt;
    private long holdUntil;
    private boolean pendingSlowDown;
    private long pendingSlowDownAt;
    private long slowDowns;
    private long cuts;
    private final ArrayDeque<Long> recentPermits = new ArrayDeque<>();
    private final ArrayDeque<Long> recentSuccesses = new ArrayDeque<>();

    /** An adaptive rate starting at, and never above, {@code ceiling} requests per second. */
    public AdaptiveRate(double ceiling) {
        this(ceiling, System::nanoTime);
    }

    AdaptiveRate(double ceiling, LongSupplier nanoClock) {
        if (!(ceiling > 0) || Double.isInfinite(ceiling)) {
            throw new IllegalArgumentException("rate must be a positive number, not " + ceiling);
        }
        this.ceiling = ceiling;
        this.floor = Math.min(ceiling, FLOOR);
        this.nanoClock = nanoClock;
        this.rate = ceiling;
        this.step = Math.max(ceiling * STEP_SHARE, MIN_STEP);
        this.bucket = RateLimiter.create(ceiling);
    }

    /**
     * Waits for a permit to send one attempt.
     *
     * @return the permit's number (1, 2, ...) and the seconds waited for it
     */
    public Permit acquire() {
        double waited = bucket.acquire();
        synchronized (this) {
            long now = nanoClock.getAsLong();
            recentPermits.addLast(now);
            prune(recentPermits, now);
            return new Permit(++permitsIssued, waited);
        }
    }

    /** Whether an answer asks the caller to slow down: throttling (any status) or 503. */
    public static boolean isSlowDown(Throwable failure) {
        return failure instanceof SdkServiceException e && (e.isThrottlingException() || e.statusCode() == 503);
    }

    /**
     * The attempt sent with permit {@code permit} got a slow-down answer. Only answers to attempts
     * sent at the current rate, once the hold after the last cut is over, count: the others say
     * nothing about the current rate. The second one that counts within {@link #CONFIRM} cuts it.
     */
    public synchronized void slowDown(long permit) {
        slowDowns++;
        long now = nanoClock.getAsLong();
        if (permit < firstPermitOfRate || (cuts > 0 && now - holdUntil < 0)) {
            return;
        }
        if (!pendingSlowDown || now - pendingSlowDownAt > CONFIRM.toNanos()) {
            pendingSlowDown = true; // a lone slow-down is noise, and its retry takes care of it
            pendingSlowDownAt = now;
            return;
        }
        pendingSlowDown = false;
        holdUntil = now + HOLD.toNanos();
        double sending = Math.min(rate, perSecond(recentPermits, now));
        // what the service took over the last second is the best guess at its limit, but one cut
        // goes at most halfway there (a 503 storm says little about the limit)
        double accepted = perSecond(recentSuccesses, now);
        double base = Math.min(sending, Math.max(accepted, sending / 2));
        double cut = Math.max(floor, base * DECREASE);
        step = Math.max(sending * STEP_SHARE, MIN_STEP);
        cuts++;
        firstPermitOfRate = permitsIssued + 1;
        // a fresh bucket: permits saved up at the old rate must not come out as a burst at the new one
        bucket = RateLimiter.create(cut);
        change(cut, String.format(Locale.ROOT, "the service asked to slow down (sending %.1f/s, accepted %.1f/s)",
                sending, accepted));
    }

    /** A call succeeded: raise the rate by a step if the last change is an interval old. */
    public synchronized void succeeded() {
        long now = nanoClock.getAsLong();
        recentSuccesses.addLast(now);
        prune(recentSuccesses, now);
        if (rate >= ceiling || now - nextIncreaseAt < 0) {
            return;
        }
        change(Math.min(ceiling, rate + step), "calls succeed");
    }

    private void change(double newRate, String why) {
        double old = rate;
        rate = newRate;
        nextIncreaseAt = nanoClock.getAsLong() + INCREASE_INTERVAL.toNanos();
        if (bucket.getRate() != newRate) {
            bucket.setRate(newRate);
        }
        log.info(String.format(Locale.ROOT, "request rate %s to %.1f/s (was %.1f/s, most %.1f/s): %s",
                newRate < old ? "lowered" : "raised", newRate, old, ceiling, why));
    }

    /** Events (permits, successes) over the last second (or since the first one), per second. */
    private double perSecond(ArrayDeque<Long> events, long now) {
        prune(events, now);
        if (events.size() < 2) {
            return rate;
        }
        long span = now - events.peekFirst();
        return events.size() * 1e9 / Math.max(span, WINDOW_NANOS / 10);
    }

    private static void prune(ArrayDeque<Long> events, long now) {
        while (!events.isEmpty() && now - events.peekFirst() > WINDOW_NANOS) {
            events.removeFirst();
        }
    }

    /** The current rate, in requests per second. */
    public synchronized double rate() {
        return rate;
    }

    /** The most the rate may be: {@code --rate}. */
    public double ceiling() {
        return ceiling;
    }

    /** Slow-down answers seen so far, whether or not they cut the rate. */
    public synchronized long slowDowns() {
        return slowDowns;
    }

    /** How many times the rate was cut. */
    public synchronized long cuts() {
        return cuts;
    }

    /** One permit: its number among all permits, and how long the caller waited for it. */
    public record Permit(long number, double secondsWaited) {
    }
}
