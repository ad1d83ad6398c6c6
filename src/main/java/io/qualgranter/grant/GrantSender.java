package io.qualgranter.grant;

import io.qualgranter.row.GrantRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.qualgranter.row.Outcome;

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
    private final DoubleSupplier rate;
    private final int failureLimit;
    private final ExecutorService pool;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final AtomicReference<CredentialsRejectedException> refused = new AtomicReference<>();

    /** @param rate the requests per second the gateway's calls go at now (what {@link AdaptiveRate#rate()} says) */
    public GrantSender(MTurkGateway gateway, DoubleSupplier rate, int concurrency, int failureLimit) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        this.gateway = gateway;
        this.rate = rate;
        this.failureLimit = failureLimit;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, task -> {
            Thread thread = new Thread(task, "grant-sender-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public List<CallResult> send(List<GrantRequest> requests) {
        return await(submit(requests, null, null));
    }

    /**
     * As {@link #send(List)}, watched by {@code breaker} (null: none) while it is still deciding. The calls
     * it watches go first, and the rest follow at the rate without waiting for their answers, until an answer
     * comes back as an unknown worker: from then on the rest wait, and go as soon as an answer of another kind
     * disarms the breaker. When the watched calls are all answered as unknown workers, and so is every other
     * call sent, the rest that waited are never sent and the breaker, shown the answers in request order, stops
     * the run: its calls, plus those that left before the first answer came back. An answer of another kind
     * to any call disarms it (the environment is the right one; every answer is recorded). See {@link WhileDeciding}.
     */
    public List<CallResult> send(List<GrantRequest> requests, WrongEnvironmentBreaker breaker) {
        if (breaker == null || !breaker.deciding()) {
            return send(requests);
        }
        int watched = (int) Math.min(requests.size(), (long) breaker.stillWatching());
        WhileDeciding deciding = new WhileDeciding(watched, rate);
        List<Future<CallResult>> calls = submit(requests.subList(0, watched), deciding::answer, null);
        calls.addAll(submit(requests.subList(watched, requests.size()), deciding::answer, deciding));
        List<CallResult> results = await(calls);
        if (deciding.disarmed()) {
            breaker.disarm();
        } else {
            results.subList(0, watched).forEach(breaker::observe);
        }
        return results;
    }

    /**
     * Hands each request to the pool; {@code onAnswer} (or null) is told each call's result, null if it threw;
     * with {@code deciding}, a call waits until it may go, and one that may not is answered without being sent.
     */
    private List<Future<CallResult>> submit(List<GrantRequest> requests, Consumer<CallResult> onAnswer,
                                            WhileDeciding deciding) {
        List<Future<CallResult>> calls = new ArrayList<>(requests.size());
        for (GrantRequest request : requests) {
            calls.add(pool.submit(() -> {
                if (deciding != null && !deciding.mayGo()) {
                    return new CallResult(Outcome.FAILED, "not sent: the calls before it were all refused as unknown workers");
                }
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
