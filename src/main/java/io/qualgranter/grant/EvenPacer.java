package io.qualgranter.grant;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import com.google.common.util.concurrent.Uninterruptibles;

/**
 * Hands out send times evenly spaced at a rate, saving up almost nothing while idle: after a pause the
 * next send goes at once and the ones after it at the rate again, with at most {@link #credit} of time
 * made up (a few requests: callers that woke late may catch up, a pause may not be spent as a burst).
 *
 * <p>Each caller takes the next free time under a short lock and sleeps until then on its own, so one
 * late wake-up does not delay the callers after it. When the rate changes, callers still asleep find
 * their time stale on waking and take a new one at the new rate: a cut applies from the next send, not
 * after the sends already scheduled at the old rate.
 *
 * <p>Guava's {@code RateLimiter} saves up to a second of permits while idle (the bursts that a service
 * with a small bucket throttles) and keeps waiting callers at the rate they asked under; Bucket4j,
 * whose bucket capacity could be set to one, is not among the libraries served here.
 */
final class EvenPacer {

    /** The most time a late or idle caller may make up, besides one interval (at most 5 intervals). */
    static final long CREDIT_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final LongSupplier clock;
    private final LongConsumer sleeper;

    // guarded by this
    private long intervalNanos;
    private long next;
    private long lastGiven;
    private long epoch;

    EvenPacer(double perSecond) {
        this(perSecond, System::nanoTime, nanos -> Uninterruptibles.sleepUninterruptibly(nanos, TimeUnit.NANOSECONDS));
    }

    /** @param sleeper sleeps (about) the nanoseconds given; tests advance their clock instead */
    EvenPacer(double perSecond, LongSupplier clock, LongConsumer sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.intervalNanos = interval(perSecond);
        this.next = clock.getAsLong();
        this.lastGiven = next - intervalNanos;
    }

    /** A new rate, from the next send on (callers asleep take a new time when they wake). */
    synchronized void setRate(double perSecond) {
        intervalNanos = interval(perSecond);
        epoch++;
        next = lastGiven + intervalNanos;
    }

    synchronized double rate() {
        return 1e9 / intervalNanos;
    }

    /**
     * Waits for this caller's send time.
     *
     * @return the nanoseconds waited
     */
    long acquire() {
        long start = clock.getAsLong();
        while (true) {
            long time;
            long taken;
            synchronized (this) {
                long now = clock.getAsLong();
                time = Math.max(next, now - credit(intervalNanos));
                next = time + intervalNanos;
                taken = epoch;
                if (time - now <= 0) {
                    lastGiven = Math.max(lastGiven, time);
                    return now - start;
                }
            }
            long wait = time - clock.getAsLong();
            if (wait > 0) {
                sleeper.accept(wait);
            }
            synchronized (this) {
                if (taken == epoch) {
                    lastGiven = Math.max(lastGiven, time);
                    return clock.getAsLong() - start;
                }
            }
        }
    }

    /** Time a caller may make up: one interval, or up to 25 ms when that is more (5 requests at most). */
    static long credit(long interval) {
        return Math.min(5 * interval, Math.max(interval, CREDIT_NANOS));
    }

    private static long interval(double perSecond) {
        return Math.max(1L, Math.round(1e9 / perSecond));
    }
}
