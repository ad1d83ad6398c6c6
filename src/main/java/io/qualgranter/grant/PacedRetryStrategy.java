package io.qualgranter.grant;

import java.time.Duration;

import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;

/**
 * The SDK's own retry strategy (which decides what is retried and how long to back off), with
 * every attempt — first tries and retries alike — taking a permit from the {@link AdaptiveRate}, and
 * every attempt's answer reported to it. The SDK retries inside one call; this is where each
 * attempt's answer is seen as it arrives, so a throttled attempt slows the rate down even when its
 * retry then succeeds.
 */
final class PacedRetryStrategy implements RetryStrategy {

    private final RetryStrategy delegate;
    private final AdaptiveRate rate;

    PacedRetryStrategy(RetryStrategy delegate, AdaptiveRate rate) {
        this.delegate = delegate;
        this.rate = rate;
    }

    /** The delegate's token, and the permit the attempt in progress was sent with. */
    private record PacedToken(RetryToken inner, long permit) implements RetryToken {
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        AcquireInitialTokenResponse response = delegate.acquireInitialToken(request);
        AdaptiveRate.Permit permit = rate.acquire();
        return AcquireInitialTokenResponse.create(new PacedToken(response.token(), permit.number()),
                remaining(response.delay(), permit));
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        PacedToken token = (PacedToken) request.token();
        if (AdaptiveRate.isSlowDown(request.failure())) {
            rate.slowDown(token.permit());
        }
        // throws TokenAcquisitionFailedException when the failure is not to be retried
        RefreshRetryTokenResponse response = delegate.refreshRetryToken(request.toBuilder().token(token.inner()).build());
        AdaptiveRate.Permit permit = rate.acquire();
        return RefreshRetryTokenResponse.create(new PacedToken(response.token(), permit.number()),
                remaining(response.delay(), permit));
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        PacedToken token = (PacedToken) request.token();
        rate.succeeded();
        RecordSuccessResponse response = delegate.recordSuccess(RecordSuccessRequest.create(token.inner()));
        return RecordSuccessResponse.create(new PacedToken(response.token(), token.permit()));
    }

    @Override
    public int maxAttempts() {
        return delegate.maxAttempts();
    }

    /** Used as built: the SDK adds its defaults only to its own strategies, and the delegate has them. */
    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        throw new UnsupportedOperationException("a paced retry strategy is built by MTurkClientFactory");
    }

    /** The backoff still to wait once the permit came: waiting for the permit counts towards it. */
    private static Duration remaining(Duration backoff, AdaptiveRate.Permit permit) {
        Duration waited = Duration.ofNanos(Math.round(permit.secondsWaited() * 1e9));
        return backoff.compareTo(waited) > 0 ? backoff.minus(waited) : Duration.ZERO;
    }
}
