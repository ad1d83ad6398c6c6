package io.qualgranter.grant;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The rate at which requests go out, adapted to what the service accepts: every attempt waits for its
 * turn on an {@link EvenPacer} (sends evenly spaced, no saved-up burst: a service whose bucket holds
 * only a few requests never sees more at once than the rate allows).
 *
 * <p>Two slow-down answers (throttling, 503) within {@link #CONFIRM}, to attempts sent since the last
 * cut and at least {@link #HOLD} after it, cut the rate to {@value #DECREASE} of the best guess at the
 * service's limit: what it accepted over the last second, or the highest rate that ran clean since the
 * last cut if more, but at most halfway down from what was being sent; a second cut within {@link #RECUT}
 * halves what was being sent (a service's bucket of a second's worth, answered at once, looked like its
 * rate; measured over the {@value #LOCAL_SENDS} send intervals up to the newest refused one when faster: callers
 * waiting out their backoff leave gaps, and a small bucket refuses the runs between them), but never below what
 * the service let in of the sends since the cut ({@link #letInSinceCut}), after which
 * the rate probes upwards from {@value #RECUT_STEP} as below; unless the cut before rested on the refusals
 * themselves (their spacing, or a stream's, below): then it goes to {@value #DECREASE} of what the service
 * took of the sends since that cut (at least half), and the climb back stops below that. A recut whose cascade
 * (cuts each within {@link #RECUT} of the one before) has a limit from all its refusals ({@link #limitAcrossCascade},
 * the best one so far) goes to {@value #DECREASE} of that; below {@value #BURST_SHARE} of it, with few of the sends
 * since the cut refused (or at most {@value #START_BURST}), the refusals are clumps and do not cut; with more refused
 * while sending below it, that limit no longer stands (the service's limit fell, or it was high): the cut goes to
 * {@value #DECREASE} of what the service took of the sends since the last cut (or of a limit from their refusals'
 * spacing at or below what was sent), the climb back stops below that and never aims above the rate refused, and the
 * cascade's limit is looked for afresh from these refusals on (a cut within {@link #RECUT} of this one is still a recut).
 *
 * <p>After the first cut a better guess is often at hand: the refusals' spacing. While the service
 * refuses, its bucket is empty, so what it accepted between two refused sends is what it refilled in that
 * time, whatever the bucket's size; what it accepted over the last second also holds what the bucket paid
 * for after a stay below the limit, and aimed the climb back above the limit, cut after cut. When the
 * refused sends since the last cut lie at least {@value #ESTIMATE_INTERVALS} send intervals apart (not a
 * clump that left together) and the sends between them left at {@value #SATURATED} of the rate or more (a
 * bucket that filled up in a gap let refill go to waste), the cut goes to {@value #DECREASE} of (sent - refused) / (time between the
 * first and the last refused send), at most halfway down; resting on {@value #PRECISE_ACCEPTED} or more
 * accepted sends, that is the limit the climb stops below, and the probe above it goes in even steps of
 * {@value #EVEN_STEP} of it each interval up to {@value #EVEN_PROBE_SPAN} above it (a probe of doubling
 * steps overshot by a third before a bucket refilled on the plateau ran dry); on fewer, the climb stops
 * below the most it could be ((accepted + 1) / time).
 *
 * <p>Slow-downs while the service accepted over the last second at least {@value #BURST_SHARE} of what
 * was really sent over the last 250 ms (not of {@code --rate}, which the first sends may not have reached;
 * within a second of a cut, once {@value #SINCE_CUT_SENDS} sends left since it: while at most
 * 1 - {@value #BURST_SHARE} of those were refused),
 * or that are at most {@value #FEW_REFUSED} of the requests sent over the last second, or (before the first
 * cut, when the answers may not be back yet) at most 1 - {@value #BURST_SHARE} of them and at most
 * {@value #START_BURST}, are a burst
 * (sends that stalled after their turn and left together), not a rate: counted, not cut for. But more than
 * {@value #STREAM} refused among the sends of the last 250 ms (since the last cut), or more than {@value #START_BURST}
 * that are {@value #STREAM_SHARE} or more of the sends between the first and the last of them (not back to back) and
 * whose spacing shows no more than the service let in over the last second, are a stream, never a burst;
 * a first cut for a stream goes from what was really sent (not from {@code --rate}, which the threads may never
 * have reached) to {@value #DECREASE} of what the service accepted between the stream's own refused sends, at
 * most halfway down.
 *
 * <p>A stall is not a limit: a new cascade (not the first) whose refusals' spacing puts the limit under
 * {@value #CLUMP_BELOW} of what the service let in over the last second (and was sent) met a clump of sends held on
 * the way; its cut goes from what the service took.
 *
 * <p>A trickle is a rate: {@value #TRICKLE} or more refusals among the last {@value #TRICKLE_SENDS} sends (since the
 * last cut), each alone, spread over {@link #TRICKLE_SPAN} or more, with the sends between them saturated, show a rate
 * a few per cent above the limit (the service "accepted all", and every pair of them passed for a burst): the rate is
 * trimmed to {@value #BELOW_PRECISE_LIMIT} of the limit their spacing shows, whether or not a second slow-down confirms
 * them, while that limit is within {@value #BURST_SHARE} of the rate; not a cut (no hold, no cascade); once per cut or
 * probe ({@link #trickle}).
 *
 * <p>Each {@link #INCREASE_INTERVAL} with no cut the rate climbs back halfway to the limit found at the
 * last cut (what was sent; after the first cut, what the service accepted if that was less), up to {@value #BELOW_LAST_LIMIT} of it
 * ({@value #BELOW_PRECISE_LIMIT} of a precise estimate from the refusals' spacing, straight there once an interval at the
 * cut rate left a small bucket's worth, {@value #START_BURST} requests, of that limit unused), stays there for {@link #PLATEAU}, then probes above it with a
 * step of {@value #FIRST_STEP} of the rate doubling each interval (at most {@value #MAX_STEP}). Never
 * above the ceiling ({@code --rate}). A precise estimate resting on less than {@link #ROUGH_SPAN} of sends is rough:
 * its plateau lasts {@link #ROUGH_PLATEAU} from when the rate reached it and its even probe climbs {@value #ROUGH_STEP} of
 * it each interval, the first step included. A
 * probe above a plateau that is refused (a new cascade) goes back to its last step that ran an interval clean, with a
 * plateau there, unless its refusals show a limit below that step. Each change is logged once at INFO.
 *
 * <p>Below {@value #STRETCH_BELOW}/s these spans hold as many sends as they hold at {@value #STRETCH_BELOW}/s.
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
    /** The first step of a probe above the last throttled rate, as a share of the rate; each clean interval doubles it. */
    static final double FIRST_STEP = 0.01;
    /** The first step of the probe after a second cut in a row. */
    static final double RECUT_STEP = 0.1;
    /** A probe above a limit estimated from the refusals' spacing climbs this share of that limit each interval... */
    static final double EVEN_STEP = 0.02;
    /** ...up to this share above it; then it doubles its steps as any probe. */
    static final double EVEN_PROBE_SPAN = 0.25;
    /** An estimate resting on this many requests accepted between refusals is within about 1/8 of the limit. */
    static final int PRECISE_ACCEPTED = 8;
    /** The largest step of a probe, as a share of the rate. */
    static final double MAX_STEP = 0.5;
    /** The climb after a cut stops at this share of the rate that was throttled... */
    static final double BELOW_LAST_LIMIT = 0.97;
    /**
     * ...or at this share of a limit estimated precisely from the refusals' spacing (on {@value #PRECISE_ACCEPTED}
     * or more accepted sends: within a few per cent, 199.9-200.2/s at a limit of 200 in the benchmark's logs),
     * where a plateau 3 % below would leave that much of each probe's cycle unused.
     */
    static final double BELOW_PRECISE_LIMIT = 0.985;
    /** ...for this long, before it probes above. */
    static final Duration PLATEAU = Duration.ofSeconds(5);
    /**
     * A precise estimate resting on less than this span of sends is rough: at the start of a run on a busy machine
     * the sends reach the service 10-25 ms from their turn, and such an estimate was 10-20 % off either way
     * (398-436/s and 582-1,067/s at a limit of 500, stop 45)...
     */
    static final Duration ROUGH_SPAN = Duration.ofMillis(200);
    /** ...so the plateau below it lasts only this long (from when the rate reached it)... */
    static final Duration ROUGH_PLATEAU = Duration.ofSeconds(1);
    /** ...and the probe above it climbs this share of it each interval (a probe refused goes back to its last clean step). */
    static final double ROUGH_STEP = 0.05;
    /** Slow-downs while the service accepted at least this share of what was really sent are a burst. */
    static final double BURST_SHARE = 0.95;
    /**
     * A new cascade's limit from the refusals' spacing below this share of what the service let in over the last
     * second (and was sent) is a clump's, not the service's: the cut goes from what the service took.
     */
    static final double CLUMP_BELOW = 0.5;
    /** Slow-downs that are at most this share of the requests sent over the last second are a burst. */
    static final double FEW_REFUSED = 0.02;
    /**
     * Before the first cut, at most this many slow-downs over the last second (a small bucket's worth) that
     * are at most 1 - {@value #BURST_SHARE} of the sends are a burst: sends that left bunched at the start.
     */
    static final int START_BURST = 10;
    /**
     * More refused than this among the sends of the last 250 ms made since the last cut are a stream, never a
     * burst, whatever else says so (refusals come back at once, so these are known): what the
     * service accepted over the last second lags the sends by the answer time, and while a bucket of a second's
     * worth runs dry under sends at twice the limit it still holds all that the bucket paid for (300 ms answers:
     * 82-87 refusals before the first cut in the benchmark). Twice a small bucket's worth: a clump of sends held on
     * the way and delivered together (10-13 refused at 500/s with a bucket of 10) stays a burst.
     */
    static final int STREAM = 2 * START_BURST;
    /**
     * ...and more than a small bucket's worth ({@value #START_BURST}) are a stream too when at least this share of the
     * sends between the first and the last of them was refused, with {@value #PRECISE_ACCEPTED} or more accepted
     * between them and their spacing no faster than what the service let in (see {@link #isStream}).
     */
    static final double STREAM_SHARE = 0.25;
    /**
     * Below this rate the time spans ({@link #CONFIRM}, {@link #RECUT}, {@link #INCREASE_INTERVAL}, {@link #PLATEAU},
     * the windows of what was accepted and sent) stretch to hold as many sends as they hold at it, and a limit
     * from the refusals' spacing on 2 or more accepted sends is precise: the spans were set for rates from 50/s
     * up, and at 5/s a second holds 5 sends, too few to tell a rate from noise, while a probe every few seconds
     * (its few refusals each time) against a bucket of two seconds' worth was a sixth of all the sends.
     */
    static final double STRETCH_BELOW = 50;
    /**
     * Within a second of a cut, once this many sends left since it, they are judged by what was refused of them,
     * not by what the service accepted over the last second (see {@link #slowDown}). Fewer say little: the first
     * sends after a cut still meet the bucket the sends before it emptied.
     */
    static final int SINCE_CUT_SENDS = 100;
    /**
     * At least this many refusals since the last cut or trim, among the last {@value #TRICKLE_SENDS} sends, each sent
     * {@value #ESTIMATE_INTERVALS} or more send intervals after the refused one before it, over at least
     * {@link #TRICKLE_SPAN}, are a trickle: a rate a little above the limit, not a burst (see {@link #trickle}).
     */
    static final int TRICKLE = 6;
    /** The least span of the refused sends of a trickle... */
    static final Duration TRICKLE_SPAN = Duration.ofMillis(500);
    /**
     * ...and the sends they are looked for among: 1.2 s at 500/s, 3 s at 200/s (2.5 % above a limit of 200/s is
     * 5 refusals a second), 12 s at 50/s (2 % above it: 6 refusals in 6 s).
     */
    static final int TRICKLE_SENDS = 600;
    /** Never slower than this many requests per second (unless the ceiling is lower). */
    static final double FLOOR = 0.5;

    private static final Logger log = LoggerFactory.getLogger(AdaptiveRate.class);
    /**
     * At TRACE, one line per permit ({@code permit <number> <nanos>}), per slow-down answer ({@code refused <number>
     * <nanos>}) and per change of the rate ({@code rate <nanos> <per second>}), on the rate's own clock: what
     * {@code ops/rate-trace} reads to replay the estimates. Off unless asked for
     * ({@code -Dlogging.level.io.qualgranter.grant.trace=TRACE}).
     */
    private static final Logger trace = LoggerFactory.getLogger("io.qualgranter.grant.trace");
    private static final Duration WINDOW = Duration.ofSeconds(1);
    /** Permit times kept for the estimate of the limit (a power of two; 2 s at 2,048 requests/s). */
    private static final int KEPT_PERMITS = 4096;
    /** The refusals an estimate of the limit rests on must have been sent at least this many send intervals apart. */
    static final int ESTIMATE_INTERVALS = 3;
    /**
     * ...and the sends between the first and the last refused one must have left at least at this share of the
     * rate in force when the first one left (no gaps).
     */
    static final double SATURATED = 0.8;
    /**
     * A limit across a cascade of cuts rests on at least this span of sends: the sends of one instant reach the
     * service up to 10-30 ms apart at the start of a run on a busy machine (1,447/s from 30 ms of sends at 500/s).
     */
    static final Duration CASCADE_SPAN = Duration.ofMillis(100);
    /** A recut halves the rate at which the sends of this many send intervals up to the newest refused one left. */
    static final int LOCAL_SENDS = 8;
    /**
     * What is being sent is measured over this much shorter window: the permits of the steps before the
     * grant step (preflight calls, a second or more earlier) must not water down the rate of its first sends.
     */
    private static final Duration SENDING_WINDOW = Duration.ofMillis(250);

    private final double ceiling;
    private final double floor;
    private final LongSupplier nanoClock;
    private final EvenPacer pacer;

    // guarded by this
    private double rate;
    private double stepShare = FIRST_STEP;
    private double throttledAt = Double.NaN;
    /**
     * The limit estimated at the last cut from the refusals' spacing, or just above a refused probe's last clean step
     * (NaN: none): the probe above it goes in small even steps.
     */
    private double foundLimit = Double.NaN;
    /** Whether foundLimit rests on less than {@link #ROUGH_SPAN} of sends. */
    private boolean roughLimit;
    /** Since a plateau ended: the last rate of the probe above it that ran an interval clean (NaN: not probing). */
    private double probeBase = Double.NaN;
    /** Whether the rate was trimmed for a trickle since the last cut or the last probe's start (one trim each). */
    private boolean trimmed;
    /** Whether the last cut went to a limit estimated from the refusals (a recut then measures, not halves). */
    private boolean lastCutEstimated;
    private double clean;
    private long plateauSince;
    private boolean onPlateau;
    private long permitsIssued;
    private long firstPermitOfRate;
    private long nextIncreaseAt;
    private long lastChangeAt;
    private long holdUntil;
    private long lastCutAt;
    private boolean pendingSlowDown;
    private long pendingSlowDownAt;
    private long slowDowns;
    private long cuts;
    private long bursts;
    private final ArrayDeque<Long> recentPermits = new ArrayDeque<>();
    private final ArrayDeque<Long> recentSuccesses = new ArrayDeque<>();
    private final ArrayDeque<Long> recentSlowDowns = new ArrayDeque<>();
    /** When each of the last {@value #KEPT_PERMITS} permits was handed out, by permit number. */
    private final long[] permitTimes = new long[KEPT_PERMITS];
    /** The rate in force when each of them was handed out. */
    private final double[] permitRates = new double[KEPT_PERMITS];
    /** The permits refused (slow-down answers) since the last cut, oldest (first sent) first. */
    private final TreeSet<Long> refusedSinceCut = new TreeSet<>();
    /**
     * The permits refused since the refusals that led to the first cut of the current cascade (cuts each within
     * {@link #RECUT} of the one before), whenever sent: while a small bucket refuses, it is empty, whatever the
     * rate of the moment (see {@link #limitAcrossCascade}).
     */
    private final TreeSet<Long> refusedInCascade = new TreeSet<>();
    /** The permits refused since the last cut or trim, among the last {@value #TRICKLE_SENDS} sent, oldest first. */
    private final TreeSet<Long> refusedLately = new TreeSet<>();
    /** The highest limit {@link #limitAcrossCascade} gave in the current cascade (null: none yet). */
    private Estimate bestInCascade;

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
        this.lastChangeAt = nanoClock.getAsLong() - WINDOW.toNanos();
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
            prune(recentPermits, now, stretched(WINDOW));
            permitTimes[slot(++permitsIssued)] = now;
            permitRates[slot(permitsIssued)] = rate;
            if (trace.isTraceEnabled()) {
                trace.trace("permit {} {}", permitsIssued, now);
            }
            return new Permit(permitsIssued, waited);
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
        if (trace.isTraceEnabled()) {
            trace.trace("refused {} {}", permit, now);
        }
        recentSlowDowns.addLast(now);
        prune(recentSlowDowns, now, stretched(WINDOW));
        if (permit >= firstPermitOfRate && kept(permit)) {
            refusedLately.add(permit);
            refusedSinceCut.add(permit);
            forgetOldRefusals(now);
        }
        if (kept(permit)) {
            refusedInCascade.add(permit);
            while (!kept(refusedInCascade.first())) {
                refusedInCascade.pollFirst();
            }
        }
        if (permit < firstPermitOfRate || (cuts > 0 && now - holdUntil < 0)) {
            return;
        }
        // refusals that came one at a time, spread over half a second or more: evenly spaced sends that ran the
        // bucket dry again and again, a rate a few per cent above the limit (the service "accepted all" of them, over
        // 95 %: at 2.5 % above it, 2.4 % of the sends were refused for as long as it stood, as bursts; at 2 % above a
        // limit of 50/s, one a second, too far apart to confirm each other): trimmed to just below the limit their
        // spacing shows (further below it, they are left to the cuts)
        Estimate trickle = trimmed ? null : trickle(now);
        if (trickle != null && trickle.limit() >= BURST_SHARE * rate && BELOW_PRECISE_LIMIT * trickle.limit() < rate) {
            trim(trickle);
            return;
        }
        if (!pendingSlowDown || now - pendingSlowDownAt > stretched(CONFIRM)) {
            pendingSlowDown = true; // a lone slow-down is noise, and its retry takes care of it
            pendingSlowDownAt = now;
            return;
        }
        pendingSlowDown = false;
        boolean recut = cuts > 0 && now - lastCutAt < stretched(RECUT);
        double measured = latelyPerSecond(recentPermits, now, stretched(SENDING_WINDOW));
        // more of the sends of the last 250 ms refused than clumps are: the service is refusing a rate (see isStream)
        long streamFrom = firstRefusedSentSince(now - stretched(SENDING_WINDOW));
        double accepted = perSecond(recentSuccesses, now, stretched(WINDOW));
        boolean stream = streamFrom > 0 && isStream(streamFrom, accepted);
        // the first cut is from --rate: at the start the threads may not have reached it yet; but a stream of
        // refusals before the first cut came after sends had run for a while, at what was really sent (a bucket
        // of a second's worth runs dry under threads that never reach --rate: a cut from --rate cut nothing)
        double sending = (cuts == 0 && !stream) || measured <= 0 ? rate : Math.min(rate, measured);
        // what the service is refusing is judged against what was really sent: at the start the sends may
        // not have reached --rate yet (threads starting, a busy machine), and a service that accepted
        // (nearly) all of that was hit by a burst, not by too high a rate
        double reallySent = measured > 0 ? Math.min(rate, measured) : rate;
        // ...or that refused only a few of the requests sent over the last second (at the start, answers
        // that take a while make what was accepted lag behind what was sent, while refusals come at once)
        prune(recentPermits, now, stretched(WINDOW));
        boolean fewRefused = recentSlowDowns.size() <= FEW_REFUSED * recentPermits.size();
        // ...or, before the first cut, that let in (not refused, as a refusal comes back at once) at least
        // the burst share of what was sent over the last second, at most a small bucket's worth refused: at
        // the start few answers may be back yet (too many sends refuse far more, and at once)
        boolean letInAtStart = cuts == 0 && recentSlowDowns.size() <= START_BURST
                && recentPermits.size() - recentSlowDowns.size() >= BURST_SHARE * recentPermits.size();
        // ...but within a second of a cut, what was accepted over the last second holds what the service took
        // before it (a bucket of a second's worth paid for a rate well above the limit, and the answers lag the
        // sends): once enough sends left since the cut, they are judged by what was refused of them, as
        // refusals come back at once (a probe above the limit after a recut went on for a second, refused)
        long sentSinceCut = permitsIssued - firstPermitOfRate + 1;
        boolean sinceCut = cuts > 0 && now - lastCutAt < stretched(WINDOW) && sentSinceCut >= SINCE_CUT_SENDS;
        boolean acceptedAll = sinceCut
                ? refusedSinceCut.size() <= (1 - BURST_SHARE) * sentSinceCut
                : accepted >= BURST_SHARE * reallySent;
        if ((!recut || cuts > 1) && !stream && (acceptedAll || fewRefused || letInAtStart)) {
            // the service took all that was sent over the last second: what it refused came in a burst
            // (sends that stalled after their turn, in a pause, and then left together), not at too high
            // a rate; cutting would not prevent the next one
            bursts++;
            log.debug(String.format(Locale.ROOT, "throttled in a burst (sending %.1f/s, accepted %.1f/s): rate kept",
                    sending, accepted));
            return;
        }
        // (right after the first cut, from --rate, a service's bucket of a second's worth may still be
        // answering as if the rate were fine: not a burst)
        if (recut) {
            // to a small bucket, what was sent is the rate of the runs of sends it refused, not their average
            // over the gaps that callers waiting out a backoff leave
            sending = refusedSendsLeftAt(sending);
        }
        // a recut: the refusals of the whole cascade, the bucket empty throughout, carry the limit over a longer
        // stretch of sends than those since the last cut, which the sends' uneven timing skews (30-90 ms of sends
        // gave 1,447, 913, 394 and 305/s at a limit of 500, and cut after cut went to 0.55-0.6 of it)
        Estimate acrossCascade = recut ? bestLimitAcrossCascade() : null;
        if (acrossCascade != null && rate <= BURST_SHARE * acrossCascade.limit() && fewRefusedSinceCut(sentSinceCut)) {
            // sending below what the service took while it refused, and few of the sends since the cut refused:
            // these refusals are clumps, not a rate (more refused say the estimate was high: 552/s on one of
            // 613/s at a limit of 500 was refused 9 % of its sends for a second)
            bursts++;
            log.debug(String.format(Locale.ROOT, "throttled below the limit across the cuts (%.1f/s, limit %.1f/s): rate kept",
                    rate, acrossCascade.limit()));
            return;
        }
        // a rate below the cascade's limit refused more than clumps are (fewRefusedSinceCut), whether or not below
        // the burst share of it: the limit no longer stands (the service's
        // limit fell, another client on the account, or sends the machine held back made it high); kept, every
        // climb back aimed above what the service now takes, and each refusal within a second of the last cut
        // kept the cascade going (800/s, then 500/s: a cut every 0.5 s, 5 % refused, in AdaptiveRateTest)
        boolean refuted = acrossCascade != null && sending < acrossCascade.limit() && !fewRefusedSinceCut(sentSinceCut);
        String refutedNote = refuted ? String.format(Locale.ROOT, ", the limit of %.1f/s refuted", acrossCascade.limit()) : "";
        if (refuted) {
            acrossCascade = null;
        }
        // the limit is below what was sent, at or above what ran clean since the last cut and about what
        // the service accepted over the last second; one cut goes at most halfway down (a 503 storm says
        // little about the limit). Right after another cut the service's answers still reflect the rate
        // before it (a bucket of a second's worth made that one look acceptable): halve
        // (unless the last cut rested on the refusals themselves: then the sends since it, refused at once, say
        // what the service takes of them; halving a cut to 565/s on an estimate 26 % high went to 254/s at 500/s)
        // (and never below what the service let in of the sends since the last cut, per second of them: with no
        // limit from the refusals, halving 660/s sent with gaps went to 300/s at a limit of 500, stop 45)
        boolean measure = lastCutEstimated || refuted;
        double base = recut ? (measure ? acceptedOfSendsSinceCut(sending)
                        : Math.max(Math.max(sending / 2, clean), Math.min(sending, letInSinceCut())))
                : Math.min(sending, Math.max(Math.max(accepted, clean), sending / 2));
        // (not at the first cut, from --rate: while the threads start, their sends leave at uneven times)
        // (and a stream's own refusals carry one: what was accepted between them)
        Estimate estimate = acrossCascade != null ? acrossCascade
                : cuts > 0 ? limitBetweenRefusals(now, sending) : stream ? limitWithinStream(streamFrom) : null;
        if (refuted && estimate != null && estimate.limit() > sending) {
            estimate = null; // the refusals since the last cut alone: what they say is refuted the same way
        }
        // a new cascade (not the first: at the start the answers lag the sends) whose refusals put the limit under
        // half of what the service let in over the last second (and was sent) met a clump: sends held on the way (a
        // stall) and delivered together, not a rate; the cut goes from what the service took (stop 45: 26 of 46 sends
        // refused within 92 ms read as 217/s while 505/s had been let in; the cut to 225/s took the run to 0.70 L)
        if (estimate != null && cuts > 0 && !recut && estimate.limit() < CLUMP_BELOW * Math.min(sending, accepted)) {
            estimate = null;
        }
        if (estimate != null) {
            base = Math.min(sending, Math.max(estimate.limit(), sending / 2));
        }
        double cut = Math.max(floor, base * DECREASE);
        // a probe above a plateau refused (a new cascade), its refusals not saying the limit is below the probe's last
        // clean step: back to that step, which ran clean, and a plateau there; not 0.9 of it (stop 45)
        boolean backToClean = !recut && !refuted && probeBase < rate
                && (estimate == null || estimate.limit() >= probeBase);
        if (backToClean) {
            cut = probeBase;
        }
        // after a second cut in a row what was sent is no guide (it was still settling): probe from below
        // the climb back stops below the limit found: after the first cut (from --rate, when what was
        // accepted so far says little), what the service accepted, when less than what was sent (a probe
        // above the limit runs for a while on the service's bucket before it is refused, and stopping
        // just below that overshoot would hit the limit again within seconds)
        // (measured since the rate last changed, over 250 ms to a second: over a whole second that held a
        // climb, what was accepted lags behind the rate that was refused)
        long sinceChange = Math.max(stretched(SENDING_WINDOW), Math.min(stretched(WINDOW), now - lastChangeAt));
        double acceptedLately = latelyPerSecond(recentSuccesses, now, sinceChange);
        // (an estimate above what was sent, which the sends never reached, is kept: the refusals were clumps)
        throttledAt = estimate != null ? (estimate.precise() ? estimate.limit() : Math.max(base, estimate.upper()))
                : recut ? (measure ? base : Double.NaN)
                : cuts == 0 || !(acceptedLately > 0) ? sending : Math.min(sending, acceptedLately);
        if (refuted) {
            throttledAt = Math.min(throttledAt, sending); // (an imprecise estimate's upper bound included) not above what was refused
        }
        if (backToClean) {
            throttledAt = probeBase / BELOW_PRECISE_LIMIT;
        }
        lastCutEstimated = estimate != null || refuted || backToClean;
        trimmed = false;
        if (!recut || refuted) {
            // a new cascade, or a refuted limit: the refusals that led to this cut are the first its limit rests on
            // (those before them, which gave the refuted one, no longer count)
            refusedInCascade.retainAll(refusedSinceCut);
            bestInCascade = null;
        }
        refusedSinceCut.clear();
        refusedLately.clear();
        stepShare = RECUT_STEP;
        foundLimit = backToClean ? throttledAt : estimate != null && estimate.precise() ? estimate.limit() : Double.NaN;
        roughLimit = !backToClean && estimate != null && estimate.precise() && estimate.spanNanos() < stretched(ROUGH_SPAN);
        probeBase = Double.NaN;
        clean = 0;
        holdUntil = now + HOLD.toNanos();
        lastCutAt = now;
        onPlateau = false;
        cuts++;
        firstPermitOfRate = permitsIssued + 1;
        change(cut, String.format(Locale.ROOT, "the service asked to slow down (sending %.1f/s, accepted %.1f/s%s)",
                sending, accepted, (estimate == null ? "" : String.format(Locale.ROOT, ", limit %.1f/s", estimate.limit())) + refutedNote
                        + (backToClean ? ": back to the probe's last clean step" : "")));
    }

    /**
     * The service's limit, from the requests sent between the earliest and the latest refused one since the
     * last cut (within {@link #CONFIRM}): while requests are refused the service's bucket is empty, so it
     * accepted exactly what it refilled in between, and every request it accepted in between was sent
     * then: limit = (sent - refused) / (time between the two refused sends). The bucket's size (a few
     * requests or a second's worth) does not enter into it, unlike what was accepted over the last second,
     * which includes what the bucket paid for. Refused requests sent fewer than {@value #ESTIMATE_INTERVALS}
     * send intervals apart (a clump of sends that left together) say nothing about the rate: null, no estimate;
     * nor do refused requests between which the sends left with gaps (below {@value #SATURATED} of the rate).
     */
    private Estimate limitBetweenRefusals(long now, double sending) {
        forgetOldRefusals(now);
        int refused = refusedSinceCut.size();
        if (refused < 2 || !(sending > 0)) {
            return null;
        }
        long first = refusedSinceCut.first();
        long last = refusedSinceCut.last();
        long span = sentAt(last) - sentAt(first);
        long accepted = last - first + 1 - refused;
        if (span < ESTIMATE_INTERVALS * 1e9 / sending || accepted < 1) {
            return null;
        }
        if (!saturated(first, last)) {
            // sent with gaps (callers waiting out a backoff, too few threads): the bucket filled up in a gap and
            // let refill go to waste, so what it accepted in between is only the least the limit can be
            return null;
        }
        return Estimate.of(accepted, span, accepted >= PRECISE_ACCEPTED || (sending < STRETCH_BELOW && accepted >= 2));
    }

    /**
     * A trickle of refusals: at least {@value #TRICKLE} since the last cut or trim, among the last {@value #TRICKLE_SENDS}
     * sends, that came one at a time (each sent at least {@value #ESTIMATE_INTERVALS} send intervals after the refused
     * one before it; at least half of them so), spread over {@link #TRICKLE_SPAN} or more, the sends between them
     * saturated (at {@value #SATURATED} of the rate or more) and {@value #PRECISE_ACCEPTED} or more of them accepted.
     * That is how a rate a little above the limit looks to a small bucket: it runs dry every few dozen sends, and what
     * it accepted between the first and the last refused send is what it refilled (as in {@link #limitBetweenRefusals}).
     * Sends that stalled and left together are refused in clumps instead. Null: no trickle; else the limit it shows.
     */
    private Estimate trickle(long now) {
        forgetOldRefusals(now);
        if (refusedLately.size() < TRICKLE) {
            return null;
        }
        long first = refusedLately.first();
        long last = refusedLately.last();
        long accepted = last - first + 1 - refusedLately.size();
        if (sentAt(last) - sentAt(first) < stretched(TRICKLE_SPAN) || accepted < PRECISE_ACCEPTED
                || !saturated(first, last)) {
            return null;
        }
        int single = 0;
        long previous = 0;
        for (long permit : refusedLately) {
            if (previous == 0 || sentAt(permit) - sentAt(previous) >= ESTIMATE_INTERVALS * 1e9 / permitRates[slot(permit)]) {
                single++;
            }
            previous = permit;
        }
        if (single < TRICKLE || 2 * single < refusedLately.size()) {
            return null;
        }
        return Estimate.of(accepted, sentAt(last) - sentAt(first), true);
    }

    /** Whether the sends from {@code first} to {@code last} left at {@value #SATURATED} or more of the rate at the first (no gaps). */
    private boolean saturated(long first, long last) {
        long span = sentAt(last) - sentAt(first);
        return span > 0 && (last - first) * 1e9 / span >= SATURATED * permitRates[slot(first)];
    }

    /**
     * Trims the rate to {@value #BELOW_PRECISE_LIMIT} of the limit a trickle shows, which the climb then holds for
     * {@link #PLATEAU} before it probes above in even steps, as after a cut to a precise estimate. Not a cut: no hold,
     * no cascade, and a cut soon after it is a first cut (a trim is a few per cent, a recut halves); once per cut or probe.
     */
    private void trim(Estimate trickle) {
        trimmed = true;
        pendingSlowDown = false;
        throttledAt = trickle.limit();
        foundLimit = trickle.limit();
        roughLimit = false;
        probeBase = Double.NaN;
        stepShare = FIRST_STEP;
        onPlateau = false;
        refusedSinceCut.clear();
        refusedLately.clear();
        firstPermitOfRate = permitsIssued + 1;
        change(Math.max(floor, BELOW_PRECISE_LIMIT * trickle.limit()), String.format(Locale.ROOT,
                "a steady trickle of refusals (sending %.1f/s, limit %.1f/s)", rate, trickle.limit()));
    }

    /**
     * The highest of the limits {@link #limitAcrossCascade} gave in this cascade, this one included (null: none):
     * each is the least the limit can be (the bucket is empty at both ends, and any refill it wasted in between was
     * lost to it), and the sends below the limit late in a cascade, and their clumps, only lower it.
     */
    private Estimate bestLimitAcrossCascade() {
        Estimate latest = limitAcrossCascade();
        if (latest != null && (bestInCascade == null || latest.limit() > bestInCascade.limit())) {
            bestInCascade = latest;
        }
        return bestInCascade;
    }

    /**
     * At a recut, the limit from the refusals of the whole cascade: what the service accepted between the first and
     * the last refused send of the run of sends back from the last refused one to the first gap in which a small
     * bucket ({@value #START_BURST} requests) could have filled at the current rate (a bucket that fills wastes
     * refill). Null when that run holds no refused send before the last cut's own, spans less than
     * {@link #CASCADE_SPAN} or holds fewer than {@value #PRECISE_ACCEPTED} accepted sends.
     */
    private Estimate limitAcrossCascade() {
        if (refusedInCascade.size() < 2 || refusedSinceCut.isEmpty()) {
            return null;
        }
        long last = refusedInCascade.last();
        long maxGap = Math.round(START_BURST * 1e9 / rate);
        long start = last;
        while (start > refusedInCascade.first() && kept(start - 1) && sentAt(start) - sentAt(start - 1) <= maxGap) {
            start--;
        }
        Long first = refusedInCascade.ceiling(start);
        if (first == null || first >= refusedSinceCut.first() || first == last) {
            return null; // nothing before the last cut's own refusals: limitBetweenRefusals has it
        }
        long span = sentAt(last) - sentAt(first);
        long accepted = last - first + 1 - refusedInCascade.subSet(first, true, last, true).size();
        if (span < stretched(CASCADE_SPAN) || accepted < PRECISE_ACCEPTED) {
            return null; // a short span: the sends' uneven timing weighs too much in it
        }
        return Estimate.of(accepted, span, true);
    }

    /**
     * Whether the refusals since the last cut among the sends from {@code first} on are a stream (a rate), not a clump:
     * more than {@value #STREAM} of them; or more than {@value #START_BURST} (a small bucket's worth) with
     * {@value #PRECISE_ACCEPTED} or more sends accepted between the first and the last, at least {@value #STREAM_SHARE}
     * of the sends between them refused, and the rate their spacing shows no more than the service let in over the last
     * second ({@code accepted}). A clump of sends held on the way is refused back to back, and clumps spread over
     * 250 ms at the limit are a few per cent of the sends; a rate well above the limit has its refusals all through the
     * sends (a bucket of a second's worth run dry at 1,000/s against 500/s: every other send, 17 refused before 2 % of a
     * second's sends were, then 28 more while a cut from {@code --rate} settled, stop 50). A spacing that shows more than
     * the service let in says the sends did not reach it as they left, or that their answers are not back yet: the
     * first sends of a run, its threads still starting (in {@code ops/bench-simulated}, 728.8/s shown while 208.9/s
     * were let in; a cut for them as a stream, at 500/10/300 {@code --rate 4L}, went to 0.9 × the 588/s sent, then to
     * 298/s on a low estimate).
     */
    private boolean isStream(long first, double accepted) {
        int refused = refusedSinceCut.tailSet(first).size();
        if (refused > STREAM) {
            return true;
        }
        if (refused <= START_BURST || refused < STREAM_SHARE * (refusedSinceCut.last() - first + 1)) {
            return false;
        }
        Estimate spacing = limitWithinStream(first); // precise: PRECISE_ACCEPTED or more accepted between them
        return spacing != null && spacing.precise() && spacing.limit() <= accepted;
    }

    /**
     * The limit from a stream of refusals ({@link #isStream}, sent within 250 ms; a first cut's estimate):
     * what was accepted between {@code first}, the first refused send of the last 250 ms, and the last one, over
     * the time between them. The refusals an estimate at a later cut rests on go back a second, to sends that may
     * have stalled at the start; these are the stream's own. Null when they were all sent at one instant.
     */
    private Estimate limitWithinStream(long first) {
        int refused = refusedSinceCut.tailSet(first).size();
        long last = refusedSinceCut.last();
        long span = sentAt(last) - sentAt(first);
        long accepted = last - first + 1 - refused;
        if (span <= 0 || accepted < 1) {
            return null;
        }
        return Estimate.of(accepted, span, accepted >= PRECISE_ACCEPTED);
    }

    /**
     * Whether the refusals since the last cut are few enough to be clumps: at most 1 - {@value #BURST_SHARE} of the
     * sends since it, or at most a small bucket's worth ({@value #START_BURST}), whatever their share. Within tens of
     * ms of a cut the sends since it are few, and one clump the client's busy threads let out together is more than
     * 5 % of them (3 of 29 at --rate 4L, L = 500: taken as a rate, it cut to half the limit).
     */
    private boolean fewRefusedSinceCut(long sentSinceCut) {
        return refusedSinceCut.size() <= Math.max(START_BURST, (1 - BURST_SHARE) * sentSinceCut);
    }

    /**
     * What the service took of the sends since the last cut, at the rate they left: {@code sending} less the
     * share of them refused (refusals come back at once), at least half of it.
     */
    private double acceptedOfSendsSinceCut(double sending) {
        long sent = permitsIssued - firstPermitOfRate + 1;
        if (sent <= 0) {
            return sending / 2;
        }
        return Math.max(sending / 2, sending * Math.max(0, sent - refusedSinceCut.size()) / sent);
    }

    /**
     * What the service let in of the sends since the last cut, per second: the sends from the cut's first one up to
     * the newest refused one, less those refused, over the time between the two; 0 when that is under
     * {@link #CASCADE_SPAN} (the sends' uneven timing would weigh too much). The bucket was empty at the newest
     * refused send, and nearly so at the cut's first send (it was refusing just before the cut), so it let in little
     * more than it refilled in between: about the least the limit can be, whatever gaps the sends left (a gap that
     * lets the bucket fill lets refill go to waste, and only lowers it).
     */
    private double letInSinceCut() {
        if (refusedSinceCut.isEmpty() || !kept(firstPermitOfRate)) {
            return 0;
        }
        long last = refusedSinceCut.last();
        long span = sentAt(last) - sentAt(firstPermitOfRate);
        long letIn = last - firstPermitOfRate + 1 - refusedSinceCut.size();
        return span < stretched(CASCADE_SPAN) || letIn < 1 ? 0 : letIn * 1e9 / span;
    }

    /** The first of the sends refused since the last cut that left at or after {@code since} (nanos); 0: none. */
    private long firstRefusedSentSince(long since) {
        long first = 0;
        for (long permit : refusedSinceCut.descendingSet()) {
            if (!kept(permit) || sentAt(permit) - since < 0) {
                break;
            }
            first = permit;
        }
        return first;
    }

    /**
     * The rate at which the sends up to the newest refused one left (over {@value #LOCAL_SENDS} send intervals,
     * fewer when fewer were sent since the last cut; at most the rate), or what was being sent when more.
     * Right after a cut, callers waiting out the backoff of their refused calls leave gaps: averaged over
     * them, what was sent looks far lower than the rate at which a small bucket was emptied (sends that
     * resume together leave at the pacer's pace, and each run of them is refused).
     */
    private double refusedSendsLeftAt(double sending) {
        if (refusedSinceCut.isEmpty()) {
            return sending;
        }
        long last = refusedSinceCut.last();
        long sends = Math.min(LOCAL_SENDS, last - firstPermitOfRate);
        long span = sends < 2 || !kept(last - sends) ? 0 : sentAt(last) - sentAt(last - sends);
        return span <= 0 ? sending : Math.min(rate, Math.max(sending, sends * 1e9 / span));
    }

    /** When the permit was handed out (while it is {@link #kept}). */
    private long sentAt(long permit) {
        return permitTimes[slot(permit)];
    }

    /** Whether the permit is among the last {@value #KEPT_PERMITS}, whose times and rates are kept. */
    private boolean kept(long permit) {
        return permitsIssued - permit < KEPT_PERMITS;
    }

    /** The permit's place in the rings of kept permits. */
    private static int slot(long permit) {
        return (int) (permit & (KEPT_PERMITS - 1));
    }

    /**
     * Drops the refused permits no longer among the last ones kept or sent more than {@link #CONFIRM} ago (since the last
     * cut), or more than {@value #TRICKLE_SENDS} sends ago (lately), the oldest first.
     */
    private void forgetOldRefusals(long now) {
        while (!refusedSinceCut.isEmpty() && (!kept(refusedSinceCut.first())
                || now - sentAt(refusedSinceCut.first()) > stretched(CONFIRM))) {
            refusedSinceCut.pollFirst();
        }
        while (!refusedLately.isEmpty() && permitsIssued - refusedLately.first() >= TRICKLE_SENDS) {
            refusedLately.pollFirst();
        }
    }

    /**
     * A call succeeded. Once the rate has run an interval with no cut, it is known to be clean; it
     * rises halfway to the rate last throttled (at most to {@value #BELOW_LAST_LIMIT} of it), stays there
     * {@link #PLATEAU}, then probes above with a step that starts at {@value #FIRST_STEP} and doubles.
     */
    public synchronized void succeeded() {
        long now = nanoClock.getAsLong();
        recentSuccesses.addLast(now);
        prune(recentSuccesses, now, stretched(WINDOW));
        if (rate >= ceiling || now - nextIncreaseAt < 0) {
            return;
        }
        double measured = latelyPerSecond(recentPermits, now, stretched(SENDING_WINDOW));
        clean = Math.max(clean, Math.min(rate, measured)); // what was really sent ran clean
        if (Double.isNaN(throttledAt) && !Double.isNaN(probeBase)) {
            probeBase = rate; // probing above a plateau: this step ran an interval clean
        }
        double raised;
        if (!Double.isNaN(throttledAt)) {
            double plateau = throttledAt * (Double.isNaN(foundLimit) ? BELOW_LAST_LIMIT : BELOW_PRECISE_LIMIT);
            if (rate >= plateau) {
                if (!onPlateau) {
                    onPlateau = true;
                    plateauSince = now;
                }
                if (now - plateauSince < stretched(roughLimit ? ROUGH_PLATEAU : PLATEAU)) {
                    return;
                }
                throttledAt = Double.NaN; // probe above it, gently
                probeBase = rate;
                stepShare = FIRST_STEP;
                trimmed = false;
                // (above a rough limit, in its even steps from the first: a first step of 1 % held the rate half a
                // second longer below the limit after a start-up estimate 26 % low, 371.7/s at 500, stop 49)
                raised = roughLimit ? rate + evenStep() : rate * (1 + stepShare);
            } else if (!Double.isNaN(foundLimit)
                    && (throttledAt - rate) * stretched(INCREASE_INTERVAL) / 1e9 >= START_BURST) {
                // a cut to 0.9 of a limit from the refusals' spacing that ran an interval clean: the bucket the sends
                // before it emptied has refilled (a small one's worth at least), so straight back to just below that
                // limit; climbing halfway each interval kept the rate 5-10 % below it for a second after each such
                // cut (about 1 % of a 3,000-row run at L = 500 each, stop 49)
                raised = plateau;
            } else {
                raised = Math.min(plateau, rate + Math.max((throttledAt - rate) / 2, rate * FIRST_STEP));
            }
            if (roughLimit && raised >= plateau && !onPlateau) {
                onPlateau = true; // a rough limit's short plateau counts from when the rate reached it
                plateauSince = now;
            }
        } else if (rate < foundLimit * (1 + EVEN_PROBE_SPAN)) {
            raised = rate + evenStep();
        } else {
            raised = rate * (1 + stepShare);
            stepShare = Math.min(MAX_STEP, stepShare * 2);
        }
        raised = Math.min(ceiling, raised);
        if (raised > rate) {
            change(raised, "calls succeed");
        }
    }

    /** A step of the even probe above {@code foundLimit}: {@value #ROUGH_STEP} of a rough one, else {@value #EVEN_STEP}. */
    private double evenStep() {
        return (roughLimit ? ROUGH_STEP : EVEN_STEP) * foundLimit;
    }

    private void change(double newRate, String why) {
        double old = rate;
        rate = newRate;
        lastChangeAt = nanoClock.getAsLong();
        nextIncreaseAt = lastChangeAt + stretched(INCREASE_INTERVAL);
        if (trace.isTraceEnabled()) {
            trace.trace("rate {} {}", lastChangeAt, newRate);
        }
        pacer.setRate(newRate);
        log.info(String.format(Locale.ROOT, "request rate %s to %.1f/s (was %.1f/s, most %.1f/s): %s",
                newRate < old ? "lowered" : "raised", newRate, old, ceiling, why));
    }

    /** The span in nanoseconds at the current rate: as given from {@value #STRETCH_BELOW}/s up, below it as many sends' worth. */
    synchronized long stretched(Duration span) {
        return Math.round(span.toNanos() * Math.max(1, STRETCH_BELOW / rate));
    }

    /** Events (permits, successes) over the last {@code window} (or since the first one), per second; 0 with fewer than 2. */
    private double perSecond(ArrayDeque<Long> events, long now, long window) {
        prune(events, now, window);
        return latelyPerSecond(events, now, window);
    }

    /** Events over the last {@code window}, per second, counted from the newest without removing any; 0 with fewer than 2. */
    private double latelyPerSecond(ArrayDeque<Long> events, long now, long window) {
        int count = 0;
        long oldest = now;
        for (Iterator<Long> newest = events.descendingIterator(); newest.hasNext(); ) {
            long time = newest.next();
            if (now - time > window) {
                break;
            }
            count++;
            oldest = time;
        }
        return count < 2 ? 0 : count * 1e9 / Math.max(now - oldest, Math.round(2e9 / rate));
    }

    private static void prune(ArrayDeque<Long> events, long now, long window) {
        while (!events.isEmpty() && now - events.peekFirst() > window) {
            events.removeFirst();
        }
    }

    /**
     * The limit estimated from the refusals' spacing: {@code accepted} requests went through between the
     * first and the last refused one, so the service refilled between {@code accepted - 1} and
     * {@code accepted + 1} in that time; {@code limit} is the middle, {@code upper} the most.
     */
    private record Estimate(double limit, double upper, boolean precise, long spanNanos) {

        /** {@code accepted} requests let in over {@code spanNanos} between two refused ones. */
        static Estimate of(long accepted, long spanNanos, boolean precise) {
            return new Estimate(accepted * 1e9 / spanNanos, (accepted + 1) * 1e9 / spanNanos, precise, spanNanos);
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

    /** Slow-downs confirmed while the service accepted all that was sent (a burst, not a rate): not cut. */
    public synchronized long bursts() {
        return bursts;
    }

    /** How many times the rate was cut. */
    public synchronized long cuts() {
        return cuts;
    }

    /** One permit: its number among all permits, and how long the caller waited for it. */
    public record Permit(long number, double secondsWaited) {
    }
}
