package io.qualgranter.grant;

/**
 * The service's token bucket in the pacing's simulations ({@code AdaptiveRateTest}, {@link RateSimulation}), kept as
 * the stand-in keeps it: at most {@code burst} requests, refilled at {@code perSecond}, a request taking one as it
 * arrives.
 */
final class TokenBucket {

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long refilledAt;

    /** A bucket holding {@code tokens} at {@code now} (nanos). */
    TokenBucket(double perSecond, double burst, double tokens, long now) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = tokens;
        this.refilledAt = now;
    }

    /** A request arriving at {@code now} (nanos, not before the last one): whether it is let in. */
    boolean take(long now) {
        tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        if (tokens >= 1) {
            tokens--;
            return true;
        }
        return false;
    }
}
