package io.qualgranter.job;

import java.net.URI;
import java.nio.file.Path;

import io.qualgranter.grant.MTurkEndpoints;
import io.qualgranter.holders.HolderListing;
import io.qualgranter.pending.PendingRequestsMode;
import io.qualgranter.validation.InvalidLimit;

/**
 * What the operator asked for on the command line, already checked for shape.
 *
 * @param input            the input file (for a single grant, a one-row file written for it)
 * @param report           where the report goes; null means beside the input, NAME.report.csv
 * @param defaultType      type for rows without one, or null
 * @param defaultValue     value for rows without one
 * @param sendNotification notify workers (rows may override)
 * @param endpoint         the MTurk endpoint, normalised ({@link MTurkEndpoints#normalize}): it keys the
 *                         ledger, the leases and the run's identity
 * @param pendingRequests  what to do with granted workers' pending qualification requests
 * @param holders          whether the service's holders of the types are listed first (see {@link #listing()})
 */
public record GrantOptions(Path input, Path report, String defaultType, int defaultValue, boolean sendNotification,
                           URI endpoint, double rate, int concurrency, boolean dryRun, InvalidLimit maxInvalid,
                           boolean force, PendingRequestsMode pendingRequests, HolderListing holders) {

    /** The options before the holder listing existed: a real run lists them, a dry run does not. */
    public GrantOptions(Path input, Path report, String defaultType, int defaultValue, boolean sendNotification,
                        URI endpoint, double rate, int concurrency, boolean dryRun, InvalidLimit maxInvalid,
                        boolean force, PendingRequestsMode pendingRequests) {
        this(input, report, defaultType, defaultValue, sendNotification, endpoint, rate, concurrency, dryRun, maxInvalid,
                force, pendingRequests, HolderListing.LIST);
    }

    public GrantOptions {
        endpoint = endpoint == null ? null : MTurkEndpoints.normalize(endpoint);
    }

    /** The options before --pending-requests existed: its default, report. */
    public GrantOptions(Path input, Path report, String defaultType, int defaultValue, boolean sendNotification,
                        URI endpoint, double rate, int concurrency, boolean dryRun, InvalidLimit maxInvalid,
                        boolean force) {
        this(input, report, defaultType, defaultValue, sendNotification, endpoint, rate, concurrency, dryRun, maxInvalid,
                force, PendingRequestsMode.REPORT);
    }

    /**
     * What the run does about holders: OFF with --force (it grants anyway) and in a dry run unless it
     * plans against the service; PLAN in a dry run that does.
     */
    public HolderListing listing() {
        if (holders == HolderListing.OFF || force) {
            return HolderListing.OFF;
        }
        if (dryRun) {
            return holders == HolderListing.PLAN ? HolderListing.PLAN : HolderListing.OFF;
        }
        return HolderListing.LIST;
    }

    public Path reportPath() {
        if (report != null) {
            return report;
        }
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return input.toAbsolutePath().resolveSibling(stem + ".report.csv");
    }
}
