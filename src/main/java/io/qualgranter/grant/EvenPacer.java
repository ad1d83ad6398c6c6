package io.qualgranter.grant;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import com.google.common.util.concurrent.Uninterruptibles;

/**
 * Hands out send times evenly spaced at a rate, saving up almost nothing while idle: after a pause the
 * next send goes at once and the ones after it at the rate again, with at most {@link #credit} of time
 * made up (about one request: a thread that wakes late may catch up, a pause may not be spent as a
 * burst). Callers queue on a fair lock; only the first sleeps, so a rate change applies from the very
 * next send, not after sends already scheduled at the old rate.
 *
 * <p>Guava's {@code RateLimiter} saves up to a second of permits while idle (the bursts that a service
 * with a small bucket throttles) and schedules waiting callers at the rate they asked under; Bucket4j,
 * whose bucket capacity could be set to one, is not among the libraries served here.
 */
final class EvenPacer {

    /** The most time a late or idle caller may make up, besides one interval. */
    static final long CREDIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final ReentrantLock turn = new ReentrantLock(true);
    private final LongSupplier clock;
    private final LongConsumer sleeper;
    private volatile long intervalNanos;
    private long next; // guarded by turn

    EvenPacer(double perSecond) {
        this(perSecond, System::nanoTime, nanos -> Uninterruptibles.sleepUninterruptibly(nanos, TimeUnit.NANOSECONDS));
    }

    /** @param sleeper sleeps (about) the nanoseconds given; tests advance their clock instead */
    EvenPacer(double perSecond, LongSupplier clock, LongConsumer sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        setRate(perSecond);
        this.next = clock.getAsLong();
    }

    void setRate(double perSecond) {
        intervalNanos = Math.max(1L, Math.round(1e9 / perSecond));
    }

    double rate() {
        return 1e9 / intervalNanos;
    }

    /**
     * Waits for this caller's send time.
     *
     * @return the nanoseconds waited
     */
    long acquire() {
        long start = clock.getAsLong();
        turn.lock();
        try {
            while (true) {
                long now = clock.getAsLong();
                long wait = next - now;
                if (wait <= 0) {
                    long interval = intervalNanos;
                    next = Math.max(next, now - credit(interval)) + interval;
                    return now - start;
                }
                sleeper.accept(wait);
            }
        } finally {
            turn.unlock();
        }
    }

    /** Time a caller may make up: one interval, or up to 5 ms when that is more (several requests at most). */
    static long credit(long interval) {
        return Math.min(4 * interval, Math.max(interval, CREDIT_NANOS));
    }
}
