package io.qualgranter.grant;

import io.qualgranter.row.GrantRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.qualgranter.row.Outcome;

import com.google.common.util.concurrent.Uninterruptibles;

/**
 * Sends requests through the gateway with up to {@code concurrency} calls in flight (a fixed pool
 * of that many threads; the gateway's client paces every attempt, see {@link AdaptiveRate}), and
 * answers one {@link CallResult} per request, in request order, once every call has ended.
 *
 * <p>After {@code failureLimit} calls in a row (in the order they ended) ended FAILED the service is
 * taken to be down: requests not yet sent are answered FAILED without a call, and
 * {@link #serviceDown()} says so. When the service refuses the caller itself, requests not yet sent
 * are not sent either, and {@link #send} throws {@link CredentialsRejectedException} once the calls
 * in flight have ended.
 */
public class GrantSender implements AutoCloseable {

    private final MTurkGateway gateway;
    private final int failureLimit;
    private final ExecutorService pool;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final AtomicReference<CredentialsRejectedException> refused = new AtomicReference<>();

    public GrantSender(MTurkGateway gateway, int concurrency, int failureLimit) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        this.gateway = gateway;
        this.failureLimit = failureLimit;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, task -> {
            Thread thread = new Thread(task, "grant-sender-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public List<CallResult> send(List<GrantRequest> requests) {
        return await(submit(requests, null));
    }

    /**
     * As {@link #send(List)}, watched by {@code breaker} (null: none) while it is still deciding: the
     * requests it still needs to see go first, and the rest follow as soon as one of their answers is
     * of another kind than an unknown worker (which disarms it), without waiting for the others. When
     * they are all unknown workers the rest are never sent, and the breaker, shown the answers in request
     * order, stops the run: exactly as many calls as it needed.
     */
    public List<CallResult> send(List<GrantRequest> requests, WrongEnvironmentBreaker breaker) {
        if (breaker == null || !breaker.deciding()) {
            return send(requests);
        }
        int watched = (int) Math.min(requests.size(), (long) breaker.stillWatching());
        CountDownLatch decided = new CountDownLatch(1);
        AtomicInteger unanswered = new AtomicInteger(watched);
        AtomicBoolean otherKind = new AtomicBoolean();
        List<Future<CallResult>> calls = submit(requests.subList(0, watched), result -> {
            if (result == null) {
                decided.countDown(); // the call failed unexpectedly: nothing more is sent, the wait below rethrows it
            } else if (!WrongEnvironmentBreaker.isUnknownWorker(result)) {
                otherKind.set(true);
                decided.countDown();
            }
            if (unanswered.decrementAndGet() == 0) {
                decided.countDown();
            }
        });
        Uninterruptibles.awaitUninterruptibly(decided);
        if (otherKind.get()) {
            calls.addAll(submit(requests.subList(watched, requests.size()), null));
        }
        List<CallResult> results = await(calls);
        results.subList(0, watched).forEach(breaker::observe);
        return results;
    }

    /** Hands each request to the pool; {@code onAnswer} (or null) is told each call's result, null if it threw. */
    private List<Future<CallResult>> submit(List<GrantRequest> requests, Consumer<CallResult> onAnswer) {
        List<Future<CallResult>> calls = new ArrayList<>(requests.size());
        for (GrantRequest request : requests) {
            calls.add(pool.submit(() -> {
                CallResult result = null;
                try {
                    result = call(request);
                    return result;
                } finally {
                    if (onAnswer != null) {
                        onAnswer.accept(result);
                    }
                }
            }));
        }
        return calls;
    }

    /** Every call's result in request order, once all have ended. */
    private List<CallResult> await(List<Future<CallResult>> calls) {
        List<CallResult> results = new ArrayList<>(calls.size());
        boolean interrupted = false;
        for (Future<CallResult> call : calls) {
            while (true) {
                try {
                    results.add(call.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // a chunk commits only after all its calls ended: keep waiting
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException unexpected) {
                        throw unexpected;
                    }
                    throw new IllegalStateException("a grant call failed unexpectedly", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        CredentialsRejectedException refusal = refused.get();
        if (refusal != null) {
            throw refusal;
        }
        return results;
    }

    private CallResult call(GrantRequest request) {
        if (refused.get() != null) {
            return new CallResult(Outcome.FAILED, "not sent: the service refused the caller");
        }
        if (serviceDown()) {
            return new CallResult(Outcome.FAILED, "not sent: the " + failuresInARow.get()
                    + " calls before it failed; run again to retry");
        }
        try {
            CallResult result = gateway.associate(request);
            if (result.outcome() == Outcome.FAILED) {
                failuresInARow.incrementAndGet();
            } else {
                failuresInARow.set(0);
            }
            return result;
        } catch (CredentialsRejectedException e) {
            refused.compareAndSet(null, e);
            return new CallResult(Outcome.FAILED, "the service refused the caller");
        }
    }

    public boolean serviceDown() {
        return failuresInARow.get() >= failureLimit;
    }

    public int failuresInARow() {
        return failuresInARow.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        gateway.close();
    }
}
