package io.qualgranter.grant;

/**
 * The last check before a send leaves: no more than a few sends at once, whatever happened while the
 * callers slept. {@link EvenPacer} gives each caller its own time, evenly spaced, and the caller sleeps
 * until then; if the whole process stops meanwhile (a garbage collection, a busy machine), every caller
 * whose time passed wakes at once, and they would all leave together: a service bucket of 10 refuses
 * the end of that bunch. The gate lets as many go at once as the pacer's credit allows a late caller
 * ({@link EvenPacer#credit}) and holds the rest to the rate; the sends due during the stall are lost time,
 * not a burst.
 *
 * <p>A virtual schedule (the generic cell rate algorithm): {@code due} is when the next send would be due
 * if every send so far had left exactly at the rate; a send may leave once {@code due - credit} has
 * come, and moves {@code due} on by one interval. Not thread-safe: the pacer calls it under its lock.
 */
final class SendGate {

    private long due;
    private boolean started;

    /**
     * When a send asked for at {@code now} may leave (at or after {@code now}), at one send per
     * {@code intervalNanos}, up to {@code creditNanos} ahead of the schedule; the send is counted.
     */
    long sendAt(long now, long intervalNanos, long creditNanos) {
        if (!started || due - now < 0) {
            due = now;
            started = true;
        }
        long at = Math.max(now, due - creditNanos);
        due += intervalNanos;
        return at;
    }
}
