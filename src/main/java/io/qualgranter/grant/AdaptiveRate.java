package io.qualgranter.grant;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The rate at which requests go out, adapted to what the service accepts: every attempt waits for its
 * turn on an {@link EvenPacer} (sends evenly spaced, no saved-up burst: a service whose bucket holds
 * only a few requests never sees more at once than the rate allows). Two slow-down answers (throttling,
 * 503) within {@link #CONFIRM}, to attempts sent since the last cut and at least {@link #HOLD} after it,
 * cut the rate to {@value #DECREASE} of what the service accepted over the last second (at most halfway
 * down from what was being sent; a second cut within {@link #RECUT} of the first halves what was being
 * sent, as the first one's estimate was off — a service's burst answered at once looks like a rate).
 *
 * <p>While calls succeed the rate climbs back, every {@link #INCREASE_INTERVAL}, by a step that starts at
 * {@value #FIRST_STEP} of the rate and doubles with each clean interval, up to {@value #BELOW_LAST_LIMIT}
 * of the rate at which the service last throttled; it stays there for {@link #PLATEAU} and then probes
 * above it the same way. Never above the ceiling ({@code --rate}). Each change is logged once at INFO.
 */
public class AdaptiveRate {

    /** The cut: this share of what the service accepted. */
    static final double DECREASE = 0.9;
    /** After a cut, slow-down answers are ignored this long (the sends just before it are still arriving). */
    static final Duration HOLD = Duration.ofMillis(50);
    /** A cut needs a second slow-down answer within this time of the first (both counted as below). */
    static final Duration CONFIRM = Duration.ofSeconds(1);
    /** A cut this soon after the last one halves what was being sent. */
    static final Duration RECUT = Duration.ofSeconds(1);
    /** How often the rate may be raised while calls succeed. */
    static final Duration INCREASE_INTERVAL = Duration.ofMillis(500);
    /** The first step of a climb, as a share of the rate; each clean interval doubles it. */
    static final double FIRST_STEP = 0.01;
    /** The largest step, as a share of the rate. */
    static final double MAX_STEP = 0.25;
    /** The climb after a cut stops at this share of the rate that was throttled... */
    static final double BELOW_LAST_LIMIT = 0.97;
    /** ...for this long, before it probes above. */
    static final Duration PLATEAU = Duration.ofSeconds(5);
    /** Never slower than this many requests per second (unless the ceiling is lower). */
    static final double FLOOR = 0.5;

    private static final Logger log = LoggerFactory.getLogger(AdaptiveRate.class);
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

    private final double ceiling;
    private final double floor;
    private final LongSupplier nanoClock;
    private final EvenPacer pacer;

    // guarded by this
    private double rate;
    private double stepShare = FIRST_STEP;
    private double lastLimit = Double.NaN;
    private long plateauSince;
    private boolean onPlateau;
    private long permitsIssued;
    private long firstPermitOfRate;
    private long nextIncreaseAt;
    private long holdUntil;
    private long lastCutAt;
    private boolean pendingSlowDown;
    private long pendingSlowDownAt;
    private long slowDowns;
    private long cuts;
    private final ArrayDeque<Long> recentPermits = new ArrayDeque<>();
    private final ArrayDeque<Long> recentSuccesses = new ArrayDeque<>();

    /** An adaptive rate starting at, and never above, {@code ceiling} requests per second. */
    public AdaptiveRate(double ceiling) {
        this(ceiling, System::nanoTime, null);
    }

    AdaptiveRate(double ceiling, LongSupplier nanoClock) {
        this(ceiling, nanoClock, nanos -> { throw new IllegalStateException("a test clock does not sleep"); });
    }

    /** @param sleeper how the pacer waits on {@code nanoClock} (null: really sleep) */
    AdaptiveRate(double ceiling, LongSupplier nanoClock, LongConsumer sleeper) {
        if (!(ceiling > 0) || Double.isInfinite(ceiling)) {
            throw new IllegalArgumentException("rate must be a positive number, not " + ceiling);
        }
        this.ceiling = ceiling;
        this.floor = Math.min(ceiling, FLOOR);
        this.nanoClock = nanoClock;
        this.rate = ceiling;
        this.pacer = sleeper == null ? new EvenPacer(ceiling) : new EvenPacer(ceiling, nanoClock, sleeper);
    }

    /**
     * Waits for this attempt's turn.
     *
     * @return the permit's number (1, 2, ...) and the seconds waited for it
     */
    public Permit acquire() {
        double waited = pacer.acquire() / 1e9;
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
        double measured = perSecond(recentPermits, now);
        double sending = measured > 0 ? Math.min(rate, measured) : rate;
        double accepted = perSecond(recentSuccesses, now);
        boolean recut = cuts > 0 && now - lastCutAt < RECUT.toNanos();
        // what the service took over the last second is the best guess at its limit, but one cut goes
        // at most halfway there (a 503 storm says little about the limit); a cut right after another
        // says the last guess was off (the service's burst was counted as its rate): halve
        double base = recut ? sending / 2 : Math.min(sending, Math.max(accepted, sending / 2));
        double cut = Math.max(floor, base * DECREASE);
        lastLimit = sending;
        holdUntil = now + HOLD.toNanos();
        lastCutAt = now;
        stepShare = FIRST_STEP;
        onPlateau = false;
        cuts++;
        firstPermitOfRate = permitsIssued + 1;
        change(cut, String.format(Locale.ROOT, "the service asked to slow down (sending %.1f/s, accepted %.1f/s)",
                sending, accepted));
    }

    /**
     * A call succeeded: once an interval has passed since the last change, raise the rate by the step,
     * and double the step (see the class comment for the plateau below the last throttled rate).
     */
    public synchronized void succeeded() {
        long now = nanoClock.getAsLong();
        recentSuccesses.addLast(now);
        prune(recentSuccesses, now);
        if (rate >= ceiling || now - nextIncreaseAt < 0) {
            return;
        }
        double plateau = lastLimit * BELOW_LAST_LIMIT;
        if (!Double.isNaN(lastLimit) && rate >= plateau) {
            if (!onPlateau) {
                onPlateau = true;
                plateauSince = now;
            }
            if (now - plateauSince < PLATEAU.toNanos()) {
                return;
            }
            lastLimit = Double.NaN; // probe above it
        }
        double raised = Math.min(ceiling, rate * (1 + stepShare));
        if (!Double.isNaN(lastLimit) && raised > plateau) {
            raised = Math.max(rate, Math.min(ceiling, plateau));
            stepShare = FIRST_STEP / 2; // the probe above the plateau starts gently
        }
        stepShare = Math.min(MAX_STEP, stepShare * 2);
        if (raised > rate) {
            change(raised, "calls succeed");
        }
    }

    private void change(double newRate, String why) {
        double old = rate;
        rate = newRate;
        nextIncreaseAt = nanoClock.getAsLong() + INCREASE_INTERVAL.toNanos();
        pacer.setRate(newRate);
        log.info(String.format(Locale.ROOT, "request rate %s to %.1f/s (was %.1f/s, most %.1f/s): %s",
                newRate < old ? "lowered" : "raised", newRate, old, ceiling, why));
    }

    /** Events (permits, successes) over the last second (or since the first one), per second; 0 with fewer than 2. */
    private double perSecond(ArrayDeque<Long> events, long now) {
        prune(events, now);
        if (events.size() < 2) {
            return 0;
        }
        long span = now - events.peekFirst();
        return events.size() * 1e9 / Math.max(span, Math.round(2e9 / rate));
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
