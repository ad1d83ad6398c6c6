package io.qualgranter.grant;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;

/**
 * What a chunk's calls beyond the ones the {@link WrongEnvironmentBreaker} watches may do while it decides,
 * from the answers in the order they come back. Until the first answer they are let go at the rate, each
 * when its turn after the watched ones comes (so that few of them wait in the pacer ahead of their time: in
 * a wrong environment only the calls sent before the first answer are made); an answer that is an unknown
 * worker holds them; an answer of another kind disarms the breaker and lets them all go (the pacer spaces
 * them). Once the watched calls and every other call sent were all answered as unknown workers, nothing in
 * flight can disarm it: the calls held are never sent. After a call failed unexpectedly none is. The calls
 * waiting take their turns one at a time, in order (hundreds of threads woken for every turn would take the
 * cores the sends need).
 */
final class WhileDeciding {

    /** Calls let go ahead of their turn, so that the pacer always has the next one at hand. */
    static final int LEAD = 2;

    private final DoubleSupplier rate;
    private final ReentrantLock turns = new ReentrantLock(true);
    private long nextTurn;
    /** Calls sent (the watched ones from the start) and not yet answered. */
    private int sentUnanswered;
    private boolean held;
    private boolean disarmed;
    private boolean failed;

    /** @param rate requests per second now; the watched calls' turns come first */
    WhileDeciding(int watched, DoubleSupplier rate) {
        this.rate = rate;
        this.sentUnanswered = watched;
        this.nextTurn = System.nanoTime() + Math.max(0, watched - LEAD) * interval();
    }

    /** Any call's answer (null: it threw). */
    synchronized void answer(CallResult result) {
        sentUnanswered--;
        if (result == null) {
            failed = true;
        } else if (!WrongEnvironmentBreaker.isUnknownWorker(result)) {
            disarmed = true;
        } else {
            held = true;
        }
        notifyAll();
    }

    /** Waits for this call's turn, or while held; whether it may go (then it counts as sent until answered). */
    boolean mayGo() {
        turns.lock(); // the next caller in line waits here for its turn, the others behind it
        try {
            return takeTurn();
        } finally {
            turns.unlock();
        }
    }

    private synchronized boolean takeTurn() {
        boolean interrupted = false;
        try {
            while (true) {
                if (failed || (held && !disarmed && sentUnanswered == 0)) { // (the watched ones all answered too)
                    return false;
                }
                long now = System.nanoTime();
                long wait = nextTurn - now;
                if (disarmed || (!held && wait <= 0)) {
                    if (!disarmed) {
                        long interval = interval(); // turns missed while late are not made up at once
                        nextTurn = Math.max(nextTurn, now - LEAD * interval) + interval;
                    }
                    sentUnanswered++;
                    return true;
                }
                try {
                    if (held) {
                        wait();
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(this, wait);
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // a chunk's calls all end before it commits: keep waiting
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized boolean disarmed() {
        return disarmed;
    }

    private long interval() {
        return Math.round(1e9 / Math.max(rate.getAsDouble(), 1e-3));
    }
}
