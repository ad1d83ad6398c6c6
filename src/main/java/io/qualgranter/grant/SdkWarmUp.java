package io.qualgranter.grant;

import java.net.URI;
import java.time.Duration;

import io.qualgranter.grant.MTurkClientFactory.RetrySettings;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.GetAccountBalanceRequest;

/**
 * Start-up: loads the SDK's request path before the preflight needs it. Builds a client and makes one
 * GetAccountBalance attempt to a closed loopback port, signed with made-up credentials, so that the
 * client, endpoint rules, marshalling, signing and the HTTP client are loaded and initialised by the
 * time the preflight and the grant step build their own clients. Nothing leaves the machine and no
 * real credential is read; the refused connection is the expected end.
 */
public final class SdkWarmUp {

    private static final URI CLOSED_PORT = URI.create("http://127.0.0.1:9");
    /** One attempt, no retry: a warm-up's call either goes through or ends it (also {@link SendPathWarmUp}'s). */
    static final RetrySettings ONE_ATTEMPT =
            new RetrySettings(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5));
    /** Credentials that sign a warm-up's calls: made up, so that no real one is read (also {@link SendPathWarmUp}'s). */
    static final StaticCredentialsProvider MADE_UP_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDWARMUPNOTREAL", "warm-up-not-a-secret"));

    private SdkWarmUp() {
    }

    public static void run() {
        try (MTurkClient client = MTurkClientFactory.create(CLOSED_PORT, ONE_ATTEMPT, 1)) {
            client.getAccountBalance(GetAccountBalanceRequest.builder()
                    .overrideConfiguration(c -> c.credentialsProvider(MADE_UP_CREDENTIALS))
                    .build());
        } catch (Throwable expected) {
            // the connection is refused: the classes are loaded, which was the point
        }
    }
}
