package io.qualgranter.pending;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.QualificationRequest;

/**
 * The pending qualification requests of a run's types ({@code ListQualificationRequests}, all pages). The
 * pending step lists them after the grants. A run with one row to grant (a single grant) lists them beside
 * that grant instead ({@link #startBesideTheGrant}, as the grant step starts): one round trip after the grant
 * less, and on a real network the new connection's handshake too. The listing then holds every request
 * submitted before the grant went out; only one submitted during the grant's own round trip is missed.
 * One per job execution (held by the run's services).
 */
public final class PendingListing {

    private static final Logger log = LoggerFactory.getLogger(PendingListing.class);

    private Set<String> typeIds;
    private CompletableFuture<List<QualificationRequest>> besideTheGrant;

    /** Lists every pending request of these types, all pages. */
    static List<QualificationRequest> list(MTurkClient client, Set<String> typeIds) {
        List<QualificationRequest> pending = new ArrayList<>();
        for (String typeId : typeIds) {
            client.listQualificationRequestsPaginator(b -> b.qualificationTypeId(typeId).maxResults(100))
                    .stream()
                    .forEach(page -> pending.addAll(page.qualificationRequests()));
        }
        return pending;
    }

    /**
     * Lists the pending requests of these types on a thread of its own, with a client of its own (built here, on
     * the step's thread, where the run's job-scoped services are at hand; closed once the listing is done).
     */
    public synchronized void startBesideTheGrant(Set<String> typeIds, Supplier<MTurkClient> clients) {
        MTurkClient ownClient = clients.get(); // first: if it cannot be built, nothing waits for a listing
        CompletableFuture<List<QualificationRequest>> listing = new CompletableFuture<>();
        this.typeIds = Set.copyOf(typeIds);
        this.besideTheGrant = listing;
        Thread thread = new Thread(() -> {
            try (MTurkClient client = ownClient) {
                listing.complete(list(client, typeIds));
            } catch (RuntimeException | Error e) {
                listing.completeExceptionally(e);
            }
        }, "granter-pending-listing");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The listing made beside the grant for these types, once it is back; null when there was none or it
     * failed after the client's retries (the step then lists, as it would have). Taken once.
     */
    synchronized List<QualificationRequest> takeBesideTheGrant(Set<String> typeIds) {
        CompletableFuture<List<QualificationRequest>> listing = besideTheGrant;
        besideTheGrant = null;
        if (listing == null || !this.typeIds.equals(typeIds)) {
            return null;
        }
        try {
            return listing.join();
        } catch (CompletionException e) {
            log.info("The pending requests listed beside the grant are not used ({}): listing them again", e.getCause().toString());
            return null;
        }
    }
}
