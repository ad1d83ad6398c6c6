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
 * <p>The opening: the pacer's first {@link #OPENING} sends (never more than the rate's whole number of
 * requests per second) go at once, so that a short run's few calls (a single grant: the preflight's two
 * reads, the grant, the pending-requests lookup) do not wait 200 ms apiece at the default rate of 5.
 * While the opening's sends are less than a second old, every send also waits until the second
 * before it holds fewer than that whole number of sends: no one-second window ever holds more
 * requests than the rate, and a burst of at most 4 stays well inside a service bucket of 10.
 *
 * <p>Guava's {@code RateLimiter} saves up to a second of permits while idle (the bursts that a service
 * with a small bucket throttles) and keeps waiting callers at the rate they asked under; Bucket4j,
 * whose bucket capacity could be set to one, is not among the libraries served here.
 */
final class EvenPacer {

    /** The most time a late or idle caller may make up, besides one interval (at most 5 intervals). */
    static final long CREDIT_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    /** The most sends that may go at once when the pacer starts. */
    static final int OPENING = 4;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier clock;
    private final LongConsumer sleeper;
    /** The send times of the last {@code window.length} sends, while the opening's are under a second old. */
    private final long[] window;
    private final int opening;

    // guarded by this
    private long intervalNanos;
    private long next;
    private long lastGiven;
    private long epoch;
    private long sends;
    private boolean opened;
    private long openingEnd;

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
        this.window = new long[(int) Math.max(1, Math.min(Integer.MAX_VALUE - 8, Math.floor(perSecond)))];
        this.opening = Math.min(OPENING, window.length);
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
                time = sends < opening ? now : Math.max(next, now - credit(intervalNanos));
                time = withinTheSecond(time);
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

    /**
     * Delays a send until the second before it holds fewer sends than the rate's whole number, while
     * the opening's sends are less than a second old (afterwards the even spacing alone ensures it).
     * Caller holds the lock.
     */
    private long withinTheSecond(long time) {
        if (opened && time - openingEnd >= SECOND) {
            return time;
        }
        int slot = (int) (sends % window.length);
        if (sends >= window.length) {
            time = Math.max(time, window[slot] + SECOND);
        }
        window[slot] = time;
        sends++;
        if (sends == opening) {
            opened = true;
            openingEnd = time;
        }
        return time;
    }

    /** Time a caller may make up: one interval, or up to 25 ms when that is more (5 requests at most). */
    static long credit(long interval) {
        return Math.min(5 * interval, Math.max(interval, CREDIT_NANOS));
    }

    private static long interval(double perSecond) {
        return Math.max(1L, Math.round(1e9 / perSecond));
    }
}
