package io.qualgranter.grant;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * Builds the SDK client: us-east-1, the chosen endpoint, credentials from the SDK's default chain,
 * and the SDK's own standard retry strategy (throttling and 5xx retried with jittered exponential
 * backoff; other 4xx never retried). The retry quota ("circuit breaker") is off so that a 503 storm
 * is waited out instead of failing rows.
 */
public final class MTurkClientFactory {

    /** Retry settings: attempts per call (first try included) and the backoff bounds. */
    public record RetrySettings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration callTimeout) {
    }

    private MTurkClientFactory() {
    }

    public static MTurkClient create(URI endpoint, RetrySettings retry, int maxConnections) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(retry.baseDelay(), retry.maxDelay());
        return MTurkClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(maxConnections, 1))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(c -> c
                        .apiCallTimeout(retry.callTimeout())
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(retry.maxAttempts())
                                .circuitBreakerEnabled(false)
                                .backoffStrategy(backoff)
                                .throttlingBackoffStrategy(backoff)
                                .build()))
                .build();
    }
}
