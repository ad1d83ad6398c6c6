package io.qualgranter.pending;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.qualgranter.preflight.ResolvedTypes;
import software.amazon.awssdk.services.mturk.MTurkClient;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * The grant step's listener: as the step starts, with one row to grant (a single grant) and pending requests
 * to report or reject, starts the run's {@link PendingListing} beside that grant.
 *
 * @param rowsToGrant the rows that wait for a call
 */
public record ListBesideASingleGrant(PendingRequestsMode mode, LongSupplier rowsToGrant, PendingListing listing,
                                     Supplier<MTurkClient> clients) implements StepExecutionListener {

    @Override
    public void beforeStep(StepExecution stepExecution) {
        if (mode != PendingRequestsMode.IGNORE && rowsToGrant.getAsLong() == 1) {
            listing.startBesideTheGrant(ResolvedTypes.from(stepExecution.getJobExecution().getExecutionContext()).typeIds(),
                    clients);
        }
    }
}
