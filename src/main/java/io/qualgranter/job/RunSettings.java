package io.qualgranter.job;

import static io.qualgranter.job.RunParameters.*;

import java.net.URI;
import java.nio.file.Path;

import io.qualgranter.holders.HolderListing;
import io.qualgranter.pending.PendingRequestsMode;
import io.qualgranter.validation.InvalidLimit;
import io.qualgranter.validation.RunDefaults;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The grant job's parameters, read back as the typed values the steps need ({@code carriedFrom}: the
 * job instance of the completed attempt whose outcomes this attempt carries over, or null).
 */
public record RunSettings(Path input, String inputSha256, Path report, RunDefaults defaults, URI endpoint, boolean dryRun,
                          double rate, int concurrency, InvalidLimit maxInvalid, boolean force,
                          Long carriedFrom, PendingRequestsMode pendingRequests, HolderListing holders) {

    /** A dry run that asks the service (preflight, holders) so that its report is what a real run would do. */
    public boolean plansAgainstService() {
        return dryRun && holders == HolderListing.PLAN;
    }


    public static RunSettings from(JobParameters p) {
        String defaultType = p.getString(DEFAULT_TYPE, "");
        return new RunSettings(
                Path.of(p.getString(INPUT_PATH)),
                p.getString(INPUT_SHA256),
                Path.of(p.getString(REPORT_PATH)),
                new RunDefaults(defaultType.isEmpty() ? null : defaultType,
                        p.getLong(DEFAULT_VALUE, 1L).intValue(),
                        Boolean.parseBoolean(p.getString(NOTIFY, "false"))),
                URI.create(p.getString(TARGET)),
                p.getString(MODE).startsWith(MODE_DRY_RUN),
                p.getDouble(RATE, 5.0),
                p.getLong(CONCURRENCY, 8L).intValue(),
                InvalidLimit.parse(p.getString(MAX_INVALID, "10%")),
                Boolean.parseBoolean(p.getString(FORCE, "false")),
                p.getLong(CARRY_INSTANCE),
                PendingRequestsMode.valueOf(p.getString(PENDING_REQUESTS, PendingRequestsMode.REPORT.name())),
                HolderListing.valueOf(p.getString(HOLDERS, HolderListing.OFF.name())));
    }
}
