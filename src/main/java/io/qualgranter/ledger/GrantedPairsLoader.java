package io.qualgranter.ledger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the ledger's granted pairs of the types an execution meets into memory ({@link GrantedWorkers}),
 * on a background thread, one load at a time, while the execution goes on settling its rows with
 * block lookups: a rerun waits for nothing, and moves to the in-memory pairs as soon as they are there.
 * The types met together (a block's) are loaded in one query; all of them share one memory budget,
 * and types that do not fit it are never held (their rows keep the block lookups).
 */
final class GrantedPairsLoader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GrantedPairsLoader.class);

    private final GrantLedger ledger;
    private final String endpoint;
    private final Map<String, CompletableFuture<GrantedWorkers>> byType = new HashMap<>();
    private ExecutorService loader;
    private final GrantedWorkers.Budget memory; // the loader thread's only
    private volatile boolean closed;

    /** @param memory the most the pairs of all types may take, in bytes */
    GrantedPairsLoader(GrantLedger ledger, String endpoint, long memory) {
        this.ledger = ledger;
        this.endpoint = endpoint;
        this.memory = new GrantedWorkers.Budget(memory);
    }

    /** Starts loading, together, those of these types that were never asked for. */
    void load(Collection<String> types) {
        List<String> fresh = new ArrayList<>();
        for (String type : types) {
            if (!byType.containsKey(type) && !fresh.contains(type)) {
                fresh.add(type);
            }
        }
        if (fresh.isEmpty() || closed) {
            return;
        }
        if (loader == null) {
            loader = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "ledger-load");
                thread.setDaemon(true);
                return thread;
            });
        }
        CompletableFuture<Map<String, GrantedWorkers>> loading = CompletableFuture.supplyAsync(() -> load(fresh), loader);
        for (String type : fresh) {
            byType.put(type, loading.thenApply(loaded -> loaded.get(type)));
        }
    }

    /**
     * The type's granted pairs once loaded; null while they load (unless {@code wait}: then once they are
     * loaded), or when they are not held at all.
     */
    GrantedWorkers ready(String type, boolean wait) {
        CompletableFuture<GrantedWorkers> loading = byType.get(type);
        if (loading == null || (!wait && !loading.isDone())) {
            return null;
        }
        return loading.exceptionally(e -> null).join();
    }

    /** Waits for the loads asked for so far. */
    void await() {
        byType.values().forEach(loading -> loading.exceptionally(e -> null).join());
    }

    private Map<String, GrantedWorkers> load(List<String> types) {
        if (closed || memory.left() <= 0) {
            return Map.of();
        }
        long started = System.nanoTime();
        try {
            Map<String, GrantedWorkers> loaded = ledger.loadGranted(endpoint, types, memory, () -> closed);
            if (loaded.isEmpty() && !closed) {
                log.info("The ledger's granted pairs of {} do not fit in memory: their rows are looked up in blocks", types);
            } else if (!closed) {
                log.info("Loaded the ledger's granted pairs of {} in {} ms: {} pairs", types,
                        (System.nanoTime() - started) / 1_000_000,
                        loaded.values().stream().mapToInt(GrantedWorkers::size).sum());
            }
            return loaded;
        } catch (RuntimeException e) {
            log.warn("Could not load the ledger's granted pairs of {}: their rows are looked up in blocks", types, e);
            return Map.of();
        }
    }

    /** Stops a load under way (at its next row) and waits a little for it. */
    @Override
    public void close() {
        closed = true;
        if (loader != null) {
            loader.shutdown();
            try {
                loader.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
