package io.qualgranter.testsupport;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * Benchmarks: a standalone stand-in's request path run before it says READY, so that its compiler has
 * done its work before the client under test starts (a real service's has). A cold stand-in compiles its
 * own code on the machine's cores while the client sends its first thousand requests: on two cores it
 * slowed the client's first second (a real service runs elsewhere). The caller resets the fake afterwards.
 */
final class FakeMTurkWarmUp {

    private static final int THREADS = 16;

    private FakeMTurkWarmUp() {
    }

    /** Sends {@code requests} grants of {@code typeId} (and a few of each read the job makes) to {@code fake}, from THREADS threads. */
    static void run(FakeMTurk fake, int requests, String typeId) throws InterruptedException {
        try (MTurkClient client = MTurkClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(fake.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDWARMUP", "warm-up-not-a-secret")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(THREADS)
                        .socketTimeout(Duration.ofSeconds(30)))
                .build()) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            for (int i = 1; i <= requests; i++) {
                String worker = String.format("AWARMUP%08d", i);
                int read = i % 100 == 0 ? i / 100 % 3 + 1 : 0; // the reads of a preflight and a pending-requests step too
                pool.execute(() -> {
                    try {
                        switch (read) {
                            case 1 -> client.getAccountBalance(b -> { });
                            case 2 -> client.listQualificationTypes(b -> b.mustBeOwnedByCaller(true).mustBeRequestable(false));
                            case 3 -> client.listQualificationRequests(b -> b.qualificationTypeId(typeId));
                            default -> client.associateQualificationWithWorker(b -> b.workerId(worker)
                                    .qualificationTypeId(typeId).integerValue(1).sendNotification(false));
                        }
                    } catch (RuntimeException e) {
                        // an answer of any kind ran the path: that was the point
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.MINUTES);
        }
    }
}
