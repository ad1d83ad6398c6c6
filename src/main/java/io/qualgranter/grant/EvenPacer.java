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
 * after the sends already scheduled at the old rate. Callers that all wake late together (the process
 * stopped while they slept) pass a {@link SendGate} that lets no more go at once than a late caller's
 * credit: the sends due during the stop do not leave as one bunch after it.
 *
 * <p>The opening: the pacer's first {@link #OPENING} sends (never more than the rate's whole number of
 * requests per second) go at once, so that a short run's few calls (a single grant: the preflight's two
 * reads, the grant, the pending-requests lookup) do not wait 200 ms apiece at the default rate of 5.
 * The send that whole number after each of them waits until it is a second old: no one-second window
 * holding an opening send holds more than the rate's whole number of sends, and a burst of at most 4
 * stays well inside a service bucket of 10. A rate change ends the opening.
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
    /** The rate's whole number of requests per second (at least 1), as the pacer was made. */
    private final long wholeRate;
    private final int opening;
    /** The opening's send times: the send {@code wholeRate} after each waits until it is a second old. */
    private final long[] openingTimes;

    // guarded by this
    private final SendGate gate = new SendGate();
    private long intervalNanos;
    private long next;
    private long lastGiven;
    private long epoch;
    private long sends;
    private boolean openingClosed;

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
        this.wholeRate = (long) Math.max(1, Math.floor(perSecond));
        this.opening = (int) Math.min(OPENING, wholeRate);
        this.openingTimes = new long[opening];
    }

    /** A new rate, from the next send on (callers asleep take a new time when they wake). */
    synchronized void setRate(double perSecond) {
        intervalNanos = interval(perSecond);
        openingClosed = true; // a cut (or any change) ends the opening: the new rate applies from the next send
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
        long sendAt;
        while (true) {
            long time;
            long taken;
            synchronized (this) {
                long now = clock.getAsLong();
                boolean inOpening = !openingClosed && sends < opening;
                time = inOpening ? now : Math.max(next, now - credit(intervalNanos));
                time = withinTheSecond(time);
                next = time + intervalNanos;
                taken = epoch;
                if (time - now <= 0) {
                    lastGiven = Math.max(lastGiven, time);
                    if (inOpening) {
                        return now - start; // on top of the schedule, and of the gate
                    }
                    sendAt = gate.sendAt(now, intervalNanos, credit(intervalNanos));
                    break;
                }
            }
            long wait = time - clock.getAsLong();
            if (wait > 0) {
                sleeper.accept(wait);
            }
            synchronized (this) {
                if (taken == epoch) {
                    lastGiven = Math.max(lastGiven, time);
                    sendAt = gate.sendAt(clock.getAsLong(), intervalNanos, credit(intervalNanos));
                    break;
                }
            }
        }
        long hold = sendAt - clock.getAsLong();
        if (hold > 0) {
            sleeper.accept(hold); // woken late with others (the process stopped): one at a time again
        }
        return clock.getAsLong() - start;
    }

    /**
     * Records the opening's send times, and delays the send {@code wholeRate} after each of them until it
     * is a second old: so no one-second window holding one of the opening's sends holds more than the
     * rate's whole number of sends. Later sends are evenly spaced, as before the opening existed. Caller
     * holds the lock. (A caller whose time went stale takes a new one and counts again: stricter, never
     * looser.)
     */
    private long withinTheSecond(long time) {
        long send = sends++;
        if (send < opening) {
            openingTimes[(int) send] = time;
        } else if (send - wholeRate >= 0 && send - wholeRate < opening) {
            time = Math.max(time, openingTimes[(int) (send - wholeRate)] + SECOND);
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
