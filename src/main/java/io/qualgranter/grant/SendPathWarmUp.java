package io.qualgranter.grant;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * Warms a file run's send path before its first grant (issue 14). Run cold, the path a grant takes (the
 * sender, the gateway, the SDK's marshalling and signing, the HTTP client) cost about 4.5 ms of CPU a request
 * on the benchmark's two cores, against about 1.4 ms once the compiler had it (stop 47): a run at 500/s sent
 * 305-375/s for its first 0.8 s. (At a --rate far above the service's limit the warm start changed nothing beyond
 * the noise, against a stand-in whose answers then came ~44 ms late: ops/BENCHMARKS.md, stops 47 and 48.)
 *
 * <p>Started once the preflight has passed, on a thread of its own, this sends made-up grants, signed with
 * made-up credentials, through the same classes to an answerer on a loopback port of this process, until it
 * has sent {@value #SENDS} or is closed (the run's first grant waits a while for it, then closes it: see
 * {@code job.RunServices}). 600 took 0.7-1.0 s beside the plan on the benchmark's two cores, after which a run
 * at 500/s sent 117-124 requests in its first 250 ms (125 asked for) where it had sent 85-109. Nothing leaves
 * the machine, no real credential is read, nothing is recorded; any failure just ends the warm-up.
 */
public final class SendPathWarmUp implements AutoCloseable {

    /** Sends at most: enough for the compiler to take the path's methods (C1 compiles a method after a few hundred calls). */
    static final int SENDS = 600;
    /** Calls in flight (and connections to the answerer): two cores' worth, not the run's --concurrency. */
    static final int THREADS = 2;
    private static final int BATCH = 20;
    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
            + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);

    private static final Logger log = LoggerFactory.getLogger(SendPathWarmUp.class);

    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile int granted;
    private final CountDownLatch ended = new CountDownLatch(1);

    private SendPathWarmUp() {
    }

    /** Starts warming on a daemon thread; {@link #close()} stops it after the call in flight. */
    public static SendPathWarmUp start() {
        SendPathWarmUp warmUp = new SendPathWarmUp();
        Thread thread = new Thread(warmUp::run, "granter-send-warm-up");
        thread.setDaemon(true);
        thread.start();
        return warmUp;
    }

    /** The made-up grants answered as granted so far: each went the whole way, there and back. */
    public int granted() {
        return granted;
    }

    /** Waits up to {@code timeout} for the warm-up to end; true if it has. */
    public boolean awaitEnd(Duration timeout) {
        try {
            return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop.set(true);
    }

    private void run() {
        ExecutorService answering = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "granter-send-warm-up-answer");
            thread.setDaemon(true);
            return thread;
        });
        try (ServerSocket answerer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            answering.execute(() -> acceptAll(answerer, answering));
            URI endpoint = URI.create("http://127.0.0.1:" + answerer.getLocalPort());
            // no pacing (rate null): a paced client would write the run's rate trace with permits of its own
            MTurkClient client = MTurkClientFactory.createForGrants(endpoint, SdkWarmUp.ONE_ATTEMPT, THREADS, null,
                    SdkWarmUp.MADE_UP_CREDENTIALS);
            try (GrantSender sender = new GrantSender(new MTurkGateway(client, client, SdkWarmUp.ONE_ATTEMPT, stop::get),
                    () -> Double.MAX_VALUE, THREADS, Integer.MAX_VALUE)) {
                List<GrantRequest> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    batch.add(new GrantRequest("AWARMUP%010d".formatted(i), "3WARMUPTYPE000000000000000", i, false));
                }
                long start = System.nanoTime();
                for (int sent = 0; sent < SENDS && !stop.get(); sent += BATCH) {
                    granted += (int) sender.send(batch).stream().filter(r -> r.outcome() == Outcome.GRANTED).count();
                }
                log.info("Send path warmed up: {} made-up grants answered by a loopback answerer of this process in {} ms{}",
                        granted, (System.nanoTime() - start) / 1_000_000, stop.get() ? " (stopped by the first grant)" : "");
            }
        } catch (Throwable e) {
            // nothing is lost but the warm-up: the run's own sends warm the path, as before
        } finally {
            answering.shutdownNow();
            ended.countDown();
        }
    }

    private static void acceptAll(ServerSocket answerer, ExecutorService answering) {
        try {
            while (true) {
                Socket connection = answerer.accept();
                answering.execute(() -> answerAll(connection));
            }
        } catch (IOException closed) {
            // the warm-up is over
        }
    }

    /**
     * Answers each request on a kept-alive connection with 200 and an empty JSON object, in one write: the JDK's
     * HttpServer writes its headers and its body apart, and on Java 17 each answer then waited out the client's
     * delayed acknowledgement (40 ms).
     */
    private static void answerAll(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
             OutputStream out = connection.getOutputStream()) {
            connection.setTcpNoDelay(true);
            while (true) {
                int length = -1;
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (length < 0 || in.readNBytes(length).length < length) {
                    return;
                }
                out.write(ANSWER);
                out.flush();
            }
        } catch (IOException | RuntimeException closed) {
            // the client closed the connection, or the warm-up is over
        }
    }

    /** One header line without its CRLF; at the end of the stream an IOException. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
