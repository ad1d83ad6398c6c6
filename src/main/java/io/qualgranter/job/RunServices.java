package io.qualgranter.job;

import java.time.Duration;

import io.qualgranter.grant.AdaptiveRate;
import io.qualgranter.grant.GrantSender;
import io.qualgranter.grant.MTurkClientFactory;
import io.qualgranter.grant.MTurkGateway;
import io.qualgranter.grant.SendPathWarmUp;
import io.qualgranter.pending.PendingListing;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * What one execution of the grant job shares between its steps (a job-scoped bean, closed at the end
 * of the job): the run's settings, read once from the job parameters, and the MTurk clients, all
 * built here and paced by one rate (every call of the execution counts against {@code --rate}).
 */
public class RunServices implements AutoCloseable {

    /** A run at this --rate or more, with at least a second's worth of rows, warms its send path first. */
    static final double WARM_UP_FROM_RATE = 100;
    /**
     * How long the first grant waits for a warm-up still under way (it took 0.73-1.0 s from the preflight's end on
     * the benchmark's two cores, beside the plan; stop 47); after that the warm-up stops where it is.
     */
    static final Duration WARM_UP_WAIT = Duration.ofSeconds(1);

    private final RunSettings settings;
    private final GranterProperties properties;
    private final RunControl runControl;
    private AdaptiveRate rate;
    private MTurkGateway gateway;
    private GrantSender sender;
    private SendPathWarmUp warmUp;
    private final PendingListing pendingListing = new PendingListing();

    public RunServices(RunSettings settings, GranterProperties properties, RunControl runControl) {
        this.settings = settings;
        this.properties = properties;
        this.runControl = runControl;
    }

    public RunSettings settings() {
        return settings;
    }

    /** The execution's one rate: grants, in-doubt checks, preflight and pending-request calls all take from it. */
    public synchronized AdaptiveRate rate() {
        if (rate == null) {
            rate = new AdaptiveRate(settings.rate());
        }
        return rate;
    }

    /** The grants' gateway (grant and score clients, --concurrency connections); never in a dry run. */
    public synchronized MTurkGateway gateway() {
        if (settings.dryRun()) {
            throw new IllegalStateException("a dry run makes no call");
        }
        if (gateway == null) {
            gateway = new MTurkGateway(
                    MTurkClientFactory.createForGrants(settings.endpoint(), properties.retry(), settings.concurrency(), rate()),
                    MTurkClientFactory.create(settings.endpoint(), properties.retry(), settings.concurrency(), rate()),
                    properties.retry(), runControl::stopRequested);
        }
        return gateway;
    }

    /**
     * The grants' sender: --concurrency calls in flight through {@link #gateway()}. Asked for the first time, it
     * waits up to {@link #WARM_UP_WAIT} for a warm-up under way (not holding this object's lock), then stops it.
     */
    public GrantSender sender() {
        SendPathWarmUp warming;
        synchronized (this) {
            if (sender != null) {
                return sender;
            }
            warming = warmUp;
        }
        if (warming != null) {
            warming.awaitEnd(WARM_UP_WAIT);
        }
        synchronized (this) {
            if (sender == null) {
                stopWarmUp(); // the grants' own sends go from here on
                sender = new GrantSender(gateway(), rate()::rate, settings.concurrency(), properties.failureLimit());
            }
            return sender;
        }
    }

    /**
     * Once the preflight has passed: a run that is not a dry run, at a --rate of {@value #WARM_UP_FROM_RATE}
     * or more and with at least a second's worth of rows, warms the grants' send path on a thread of its own
     * ({@link SendPathWarmUp}) while it plans, until {@link #sender()} is first asked for.
     */
    public synchronized void warmUpSendPath(long rows) {
        if (warmUp == null && sender == null && !settings.dryRun() && settings.rate() >= WARM_UP_FROM_RATE
                && rows >= settings.rate()) {
            warmUp = SendPathWarmUp.start();
        }
    }

    private void stopWarmUp() {
        if (warmUp != null) {
            warmUp.close();
        }
    }

    /**
     * A client of its own for one step's read calls (preflight, pending requests), paced by the run's rate;
     * the caller closes it. Two connections: the preflight sends its two reads together, and on one
     * connection the second would wait for the first's answer.
     */
    public MTurkClient newClient() {
        return MTurkClientFactory.create(settings.endpoint(), properties.retry(), 2, rate());
    }

    /** The execution's listing of pending requests, when a single grant's was made beside its grant. */
    public PendingListing pendingListing() {
        return pendingListing;
    }

    @Override
    public synchronized void close() {
        stopWarmUp();
        if (sender != null) {
            sender.close(); // closes the gateway too
            sender = null;
            gateway = null;
        }
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }
}
