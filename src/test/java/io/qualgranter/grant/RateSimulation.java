package io.qualgranter.grant;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * A benchmark, not a test (issue 14): {@link AdaptiveRate} driving the job's callers against a simulated service on
 * a simulated clock, hundreds of runs in seconds, where {@code ops/bench-throughput} takes a minute or two a run and
 * one run of a cell says little. What it adds to {@code AdaptiveRateTest}'s bucket is the busy machine of a run's
 * start, where the rate's estimate of the limit goes wrong (stops 43-46):
 * <ul>
 *   <li>each send reaches the service some time after its permit, so the service sees the sends unevenly and out
 *       of order (an exponential delay of mean {@code jitterMs} over the first {@code jitterSeconds},
 *       {@code lateJitterMs} after, and for {@code stallShare} of them up to {@code stallMs} more); a refusal
 *       reaches its caller after another such delay;</li>
 *   <li>the callers hand out at most {@code earlyCap} sends a second over the first {@code earlySeconds} (threads
 *       still being compiled on two busy cores), {@code lateCap} after;</li>
 *   <li>the service's bucket holds {@code burst} requests, refilled at {@code limit}/s and taken from as a request
 *       arrives; an accepted request is answered in 0.5-1.5 × {@code answerMs} (over the first
 *       {@code jitterSeconds}, its caller hears of it up to {@code answerLagMs} later still), a refused one at once;</li>
 *   <li>a refused call waits out the gateway's backoff (full jitter, 200 ms doubling) and is sent again, up to
 *       {@code attempts} attempts in all, as {@code MTurkGateway} does; the callers are {@code concurrency} threads.</li>
 * </ul>
 * With {@code measuredRange} (the default) each run draws its machine from what the benchmark's 2-core VMs showed:
 * sends at 300-500/s for 0.6-0.9 s, then up to 800-1,100/s (stop 43), a mean delay of 5-15 ms at the start, and
 * answers heard up to 0.67-1.33 answer times late at the start, which puts what the service accepted over the last
 * second, as the first cut reads it, at 190-350/s with 300 ms answers (the benchmark's logs: 240-255/s, stop 46).
 * Goodput is counted as the benchmark counts it: (grants - 1) over the time from the first arrival to the last one
 * let in.
 *
 * <p>A model, not the service: a change it favours still has to win in {@code ops/bench-pairs}. Calibrated on the
 * benchmark's figures for the current pacing, not proven on others (ops/BENCHMARKS.md, stop 46: without the late
 * answers it read the first cut's "accepted" at 350-440/s and favoured a change that the benchmark then refuted).
 *
 * <pre>
 * ops/bench-simulated [limit=500] [burst=10] [answerMs=300] [over=4] [rows=3000] [seeds=400] [measuredRange=false
 *     jitterMs=8 earlyCap=450 ...] [verbose=true]
 * </pre>
 * Every {@code name=value} argument sets the field of that name.
 */
public final class RateSimulation {

    double limit = 500;
    double burst = 10;
    double answerMs = 300;
    /** {@code --rate} as a multiple of the limit. */
    double over = 4;
    int rows = 3000;
    int seeds = 400;
    /** 0: the benchmark's max(16, 2 × limit × answer time). */
    int concurrency = 0;
    double jitterMs = 8;
    double lateJitterMs = 1.5;
    double jitterSeconds = 1.5;
    double answerLagMs = 0;
    double stallShare = 0.01;
    double stallMs = 40;
    double earlySeconds = 0.8;
    double earlyCap = 450;
    double lateCap = 1100;
    int attempts = 6;
    /**
     * A pause of the whole client (a young collection stops every thread; stop 42: 49-67 ms for the first) of this
     * long, at a time drawn from {@code pauseFrom}-{@code pauseTo} s after the start (0: none): no send leaves and
     * no answer is heard in it; the answers due in it are heard at its end.
     */
    double pauseMs = 0;
    /** The pause is the service's (the stand-in's own collection, on the same cores): arrivals in it are taken at its end. */
    boolean servicePause = false;
    double pauseFrom = 0.3;
    double pauseTo = 0.6;
    boolean measuredRange = true;
    /** Print every run and the rate's changes, not only the summary. */
    boolean verbose = false;

    /** One run's figures, as the benchmark and the service see them. */
    record Run(double goodput, double throttledPercent, long cuts, long grants, long gaveUp, long sends, long refused,
               long firstArrival, long lastAccepted) {
    }

    /** The settings a run's machine draws when {@code measuredRange}; otherwise the fields of the same names. */
    private record Machine(double earlyCap, double earlySeconds, double lateCap, double jitterMs, double answerLagMs) {
    }

    private static final int ARRIVE = 0;
    private static final int REFUSAL_BACK = 1;
    private static final int ANSWER_BACK = 2;
    private static final int BACKOFF_OVER = 3;

    private final AtomicLong clock = new AtomicLong();
    /** {time, sequence, kind, permit, attempt}, earliest first. */
    private final PriorityQueue<long[]> events =
            new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    /** Attempts due from callers that are free (1: a new row), oldest first. */
    private final ArrayDeque<Integer> due = new ArrayDeque<>();
    /** Refusals at the service while the rate had been cut 0, 1, 2, 3 or more times, over all runs. */
    private final long[] refusedByCuts = new long[4];
    private Random random;
    private Machine machine;
    private AdaptiveRate rate;
    private long start;
    private long sequence;
    private TokenBucket bucket;
    private long firstArrival;
    private long lastAccepted;
    private long grants;
    private long gaveUp;
    private long sends;
    private long refused;
    private int freed;
    private long pauseStart;
    private long pauseEnd;

    public static void main(String[] args) {
        RateSimulation simulation = new RateSimulation();
        for (String arg : args) {
            simulation.set(arg);
        }
        ((Logger) LoggerFactory.getLogger("io.qualgranter")).setLevel(simulation.verbose ? Level.INFO : Level.WARN);
        simulation.printAll();
    }

    private void set(String arg) {
        String[] nameValue = arg.split("=", 2);
        try {
            var field = RateSimulation.class.getDeclaredField(nameValue[0]);
            Class<?> type = field.getType();
            field.set(this, type == int.class ? Integer.parseInt(nameValue[1])
                    : type == boolean.class ? Boolean.parseBoolean(nameValue[1]) : Double.parseDouble(nameValue[1]));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("not a setting: " + arg + " (name=value, e.g. limit=500)", e);
        }
    }

    int threads() {
        return concurrency > 0 ? concurrency : (int) Math.max(16, 2 * limit * answerMs / 1000);
    }

    private void printAll() {
        System.out.printf(Locale.ROOT, "simulated: L=%.0f burst=%.0f answers=%.0fms --rate %.3gL rows=%d conc=%d, %s, %d seeds%n",
                limit, burst, answerMs, over, rows, threads(), measuredRange ? "the measured range of machines"
                        : String.format(Locale.ROOT, "jitter %.1f/%.1f ms (first %.1f s), answers up to %.0f ms late, "
                                + "stalls %.1f%% of up to %.0f ms, %.0f/s for %.1f s then %.0f/s", jitterMs, lateJitterMs,
                        jitterSeconds, answerLagMs, 100 * stallShare, stallMs, earlyCap, earlySeconds, lateCap), seeds);
        double[] goodput = new double[seeds];
        double[] throttled = new double[seeds];
        int met = 0;
        double goodputTarget = over > 1.5 ? 0.95 : 0.97; // issue 14's targets at --rate 4L and --rate L
        for (int seed = 1; seed <= seeds; seed++) {
            Run run = run(seed);
            goodput[seed - 1] = run.goodput();
            throttled[seed - 1] = run.throttledPercent();
            met += run.goodput() >= goodputTarget && run.throttledPercent() <= 2.0 ? 1 : 0;
            if (verbose) {
                System.out.printf(Locale.ROOT, "seed %3d  goodput %.3f L  throttled %.2f %%  cuts %d%n",
                        seed, run.goodput(), run.throttledPercent(), run.cuts());
            }
        }
        Arrays.sort(goodput);
        Arrays.sort(throttled);
        System.out.printf(Locale.ROOT, "goodput %.3f L mean (min %.3f, p10 %.3f, median %.3f), throttled %.2f %% mean "
                        + "(median %.2f, p90 %.2f, max %.2f), both met in %d of %d (%.0f %%)%n",
                Arrays.stream(goodput).average().orElse(0), goodput[0], goodput[seeds / 10], goodput[seeds / 2],
                Arrays.stream(throttled).average().orElse(0), throttled[seeds / 2], throttled[seeds * 9 / 10],
                throttled[seeds - 1], met, seeds, 100.0 * met / seeds);
        System.out.printf(Locale.ROOT, "refusals a run, by the cuts made when they arrived: before the first %.1f, "
                        + "after it %.1f, after the second %.1f, after more %.1f%n", (double) refusedByCuts[0] / seeds,
                (double) refusedByCuts[1] / seeds, (double) refusedByCuts[2] / seeds, (double) refusedByCuts[3] / seeds);
    }

    /** One run of {@code rows} rows, its machine drawn from {@code seed} when {@code measuredRange}. */
    Run run(long seed) {
        random = new Random(seed);
        machine = measuredRange
                ? new Machine(300 + 200 * random.nextDouble(), 0.6 + 0.3 * random.nextDouble(), 800 + 300 * random.nextDouble(),
                        5 + 10 * random.nextDouble(), answerMs * (0.67 + 0.67 * random.nextDouble()))
                : new Machine(earlyCap, earlySeconds, lateCap, jitterMs, answerLagMs);
        clock.set(1_000_000_000L);
        start = clock.get();
        pauseStart = pauseMs <= 0 ? start : start + Math.round((pauseFrom + (pauseTo - pauseFrom) * random.nextDouble()) * 1e9);
        pauseEnd = pauseStart + Math.round(pauseMs * 1e6);
        events.clear();
        due.clear();
        sequence = 0;
        bucket = new TokenBucket(limit, burst, burst, start);
        firstArrival = -1;
        lastAccepted = 0;
        grants = 0;
        gaveUp = 0;
        sends = 0;
        refused = 0;
        freed = 0;
        rate = new AdaptiveRate(over * limit, clock::get, nanos -> wakeAt(clock.get() + nanos));
        int rowsLeft = rows;
        int free = threads();
        long lastPermit = Long.MIN_VALUE / 2;
        while (true) {
            free += freed;
            freed = 0;
            while (free > 0 && rowsLeft > 0) {
                due.addLast(1);
                rowsLeft--;
                free--;
            }
            if (due.isEmpty()) {
                if (events.isEmpty()) {
                    break;
                }
                handleUntil(events.peek()[0]);
                continue;
            }
            int attempt = due.removeFirst();
            // the machine hands out no more sends than its threads can make
            double cap = clock.get() - start < machine.earlySeconds() * 1e9 ? machine.earlyCap() : machine.lateCap();
            wakeAt(Math.max(clock.get(), lastPermit + Math.round(1e9 / cap)));
            AdaptiveRate.Permit permit = rate.acquire(); // its pacer's sleeps handle the events meanwhile
            lastPermit = clock.get();
            sends++;
            schedule(clock.get() + delay(), ARRIVE, permit.number(), attempt);
        }
        double goodput = grants < 2 ? 0 : (grants - 1) * 1e9 / (lastAccepted - firstArrival) / limit;
        return new Run(goodput, 100.0 * refused / sends, rate.cuts(), grants, gaveUp, sends, refused, firstArrival, lastAccepted);
    }

    /** A client thread wakes at {@code time}, or at the end of the pause when that falls in it. */
    private void wakeAt(long time) {
        handleUntil(time);
        if (!servicePause && inPause(clock.get())) {
            handleUntil(pauseEnd);
        }
    }

    private boolean inPause(long time) {
        return time - pauseStart >= 0 && time - pauseEnd < 0;
    }

    /** Handles the events up to {@code until} in time order, then sets the clock there; callers freed go to {@link #freed}. */
    private void handleUntil(long until) {
        while (!events.isEmpty() && events.peek()[0] <= until) {
            long[] event = events.poll();
            if ((event[2] == ARRIVE) == servicePause && inPause(event[0])) {
                // the paused side takes it when it runs again
                schedule(pauseEnd, (int) event[2], event[3], (int) event[4]);
                continue;
            }
            clock.set(Math.max(clock.get(), event[0]));
            freed += handle(event[0], (int) event[2], event[3], (int) event[4]);
        }
        clock.set(Math.max(clock.get(), until));
    }

    /** Handles one event; returns the callers it frees (0 or 1). */
    private int handle(long now, int kind, long permit, int attempt) {
        switch (kind) {
            case ARRIVE -> {
                if (firstArrival < 0) {
                    firstArrival = now;
                }
                if (bucket.take(now)) {
                    grants++;
                    lastAccepted = now;
                    long answer = Math.round((0.5 + random.nextDouble()) * answerMs * 1e6);
                    if (now - start < jitterSeconds * 1e9) {
                        answer += Math.round(random.nextDouble() * machine.answerLagMs() * 1e6);
                    }
                    schedule(now + answer + delay(), ANSWER_BACK, permit, attempt);
                } else {
                    refused++;
                    refusedByCuts[(int) Math.min(3, rate.cuts())]++;
                    schedule(now + delay(), REFUSAL_BACK, permit, attempt);
                }
                return 0;
            }
            case REFUSAL_BACK -> {
                rate.slowDown(permit);
                if (attempt >= attempts) {
                    gaveUp++;
                    return 1; // the caller takes the next row
                }
                schedule(now + backoffNanos(random, attempt), BACKOFF_OVER, permit, attempt + 1);
                return 0;
            }
            case ANSWER_BACK -> {
                rate.succeeded();
                return 1;
            }
            default -> {
                due.addLast(attempt);
                return 0;
            }
        }
    }

    /**
     * The gateway's backoff after a refused attempt number {@code attempt} (1, 2, ...): full jitter, 0 to 200 ms
     * doubling per attempt, as {@code MTurkGateway} waits under the job's retry settings; seeded for repeatable runs.
     */
    static long backoffNanos(Random random, long attempt) {
        return Math.round(random.nextDouble() * 200e6 * (1L << (attempt - 1)));
    }

    private void schedule(long at, int kind, long permit, int attempt) {
        events.add(new long[] {at, sequence++, kind, permit, attempt});
    }

    /** From a permit to the service, or from the service back to the caller. */
    private long delay() {
        double mean = clock.get() - start < jitterSeconds * 1e9 ? machine.jitterMs() : lateJitterMs;
        double ms = 0.2 - mean * Math.log(1 - random.nextDouble());
        if (random.nextDouble() < stallShare) {
            ms += random.nextDouble() * stallMs;
        }
        return Math.round(ms * 1e6);
    }
}
