package io.qualgranter.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * The baseline of {@code ops/bench-throughput}: what a plain script does — a fixed pool of N threads,
 * each sending the next AssociateQualificationWithWorker through one SDK client with the SDK's standard
 * retries (3 attempts, backoff on throttling), no rate limit of its own. Rows are the bench's generated
 * workers {@code A000000000001...}.
 *
 * <pre>java -cp target/test-classes:CLASSPATH io.qualgranter.bench.ThreadPoolGrants ENDPOINT ROWS THREADS TYPE</pre>
 * prints {@code POOL granted=G failed=F seconds=S}.
 */
public final class ThreadPoolGrants {

    private ThreadPoolGrants() {
    }

    public static void main(String[] args) throws InterruptedException {
        URI endpoint = URI.create(args[0]);
        int rows = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        String type = args[3];
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (MTurkClient client = MTurkClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads)
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            for (int i = 1; i <= rows; i++) {
                String worker = String.format("A%012d", i);
                int value = i % 100;
                pool.execute(() -> {
                    try {
                        client.associateQualificationWithWorker(b -> b.workerId(worker).qualificationTypeId(type)
                                .integerValue(value).sendNotification(false));
                        granted.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            System.out.printf("POOL granted=%d failed=%d seconds=%.2f%n", granted.get(), failed.get(),
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
