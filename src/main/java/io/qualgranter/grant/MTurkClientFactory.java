package io.qualgranter.grant;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * Builds the SDK client: us-east-1, the chosen endpoint, credentials from the SDK's default chain,
 * and the SDK's own standard retry strategy (throttling and 5xx retried with jittered exponential
 * backoff; other 4xx never retried). The retry quota ("circuit breaker") is off so that a 503 storm
 * is waited out instead of failing rows.
 *
 * <p>{@link #createForGrants} builds the client for AssociateQualificationWithWorker, which the SDK
 * never retries: a 5xx or a lost connection may come after the grant was applied (and the worker
 * mailed), so {@link MTurkGateway} checks with GetQualificationScore before sending again.
 *
 * <p>Given an {@link AdaptiveRate}, every attempt either client makes takes a permit from it and
 * reports its answer to it ({@link PacedRetryStrategy}).
 */
public final class MTurkClientFactory {

    /** Retry settings: attempts per call (first try included) and the backoff bounds. */
    public record RetrySettings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration callTimeout) {
    }

    private MTurkClientFactory() {
    }

    public static MTurkClient create(URI endpoint, RetrySettings retry, int maxConnections) {
        return create(endpoint, retry, maxConnections, null);
    }

    /** As {@link #create(URI, RetrySettings, int)}, every attempt paced by {@code rate} (when not null). */
    public static MTurkClient create(URI endpoint, RetrySettings retry, int maxConnections, AdaptiveRate rate) {
        BackoffStrategy backoff = backoff(retry);
        return build(endpoint, retry, maxConnections, rate, AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(retry.maxAttempts())
                .circuitBreakerEnabled(false)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build(), DefaultCredentialsProvider.builder().build());
    }

    /**
     * The client for grants: the SDK retries nothing (the SDK adds its AWS conditions, 5xx among
     * them, to any strategy it is given, so "throttling only" cannot be expressed); the gateway
     * retries throttling itself and checks before re-sending anything else (see the class comment).
     */
    public static MTurkClient createForGrants(URI endpoint, RetrySettings retry, int maxConnections) {
        return createForGrants(endpoint, retry, maxConnections, null);
    }

    /** As {@link #createForGrants(URI, RetrySettings, int)}, every attempt paced by {@code rate} (when not null). */
    public static MTurkClient createForGrants(URI endpoint, RetrySettings retry, int maxConnections, AdaptiveRate rate) {
        return createForGrants(endpoint, retry, maxConnections, rate, DefaultCredentialsProvider.builder().build());
    }

    /** As {@link #createForGrants(URI, RetrySettings, int, AdaptiveRate)}, signed with {@code credentials}. */
    static MTurkClient createForGrants(URI endpoint, RetrySettings retry, int maxConnections, AdaptiveRate rate,
                                       AwsCredentialsProvider credentials) {
        return build(endpoint, retry, maxConnections, rate, AwsRetryStrategy.doNotRetry(), credentials);
    }

    /** The delay before retry number {@code attempt} (1-based) under these settings. */
    public static Duration delayBefore(RetrySettings retry, int attempt) {
        return backoff(retry).computeDelay(attempt);
    }

    private static BackoffStrategy backoff(RetrySettings retry) {
        return BackoffStrategy.exponentialDelay(retry.baseDelay(), retry.maxDelay());
    }

    private static MTurkClient build(URI endpoint, RetrySettings retry, int maxConnections, AdaptiveRate rate,
                                     RetryStrategy strategy, AwsCredentialsProvider credentials) {
        return MTurkClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(maxConnections, 1))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(c -> c
                        .apiCallTimeout(retry.callTimeout())
                        .retryStrategy(rate == null ? strategy : new PacedRetryStrategy(strategy, rate)))
                .build();
    }
}
