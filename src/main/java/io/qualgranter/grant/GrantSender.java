package io.qualgranter.grant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.qualgranter.report.Outcome;

/**
 * Sends requests through the gateway, never faster than {@code rate} calls per second (a
 * Resilience4j token bucket), and answers one {@link CallResult} per request, in order.
 *
 * <p>After {@code failureLimit} calls in a row ended FAILED the service is taken to be down:
 * further requests are not sent but answered FAILED, and {@link #serviceDown()} says so.
 */
public class GrantSender implements AutoCloseable {

    private final MTurkGateway gateway;
    private final RateLimiter limiter;
    private final int failureLimit;
    private int failuresInARow;

    public GrantSender(MTurkGateway gateway, double rate, int failureLimit) {
        this.gateway = gateway;
        this.failureLimit = failureLimit;
        this.limiter = RateLimiter.of("mturk", RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(Math.max(1, Math.round(1e9 / rate))))
                .timeoutDuration(Duration.ofDays(1))
                .build());
    }

    public List<CallResult> send(List<GrantRequest> requests) {
        List<CallResult> results = new ArrayList<>(requests.size());
        for (GrantRequest request : requests) {
            if (serviceDown()) {
                results.add(new CallResult(Outcome.FAILED, "not sent: the " + failuresInARow
                        + " calls before it failed; run again to retry"));
                continue;
            }
            RateLimiter.waitForPermission(limiter);
            CallResult result = gateway.associate(request);
            failuresInARow = result.outcome() == Outcome.FAILED ? failuresInARow + 1 : 0;
            results.add(result);
        }
        return results;
    }

    public boolean serviceDown() {
        return failuresInARow >= failureLimit;
    }

    public int failuresInARow() {
        return failuresInARow;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
