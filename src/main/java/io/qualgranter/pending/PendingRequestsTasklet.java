package io.qualgranter.pending;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.qualgranter.row.Outcome;
import io.qualgranter.report.PrivateFiles;
import io.qualgranter.row.RowOutcome;
import io.qualgranter.report.SpreadsheetSafe;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.QualificationRequest;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The step after the grants: a direct grant leaves a worker's pending qualification request open, and
 * granting that request later would change the score. Lists the pending requests of the run's types
 * ({@code ListQualificationRequests}; none when the run granted no row; a single grant's were listed beside
 * its grant, {@link PendingListing}), keeps those of workers this run GRANTED, writes them to a CSV
 * beside the report, and with {@link PendingRequestsMode#REJECT} resolves each with
 * {@code RejectQualificationRequest} and a reason. Counts go to the job's context for the summary.
 */
public class PendingRequestsTasklet implements Tasklet {

    public static final String MATCHED = "pending.matched";
    public static final String REJECTED = "pending.rejected";
    public static final String FILE = "pending.file";
    public static final String MODE = "pending.mode";

    static final List<String> COLUMNS = List.of("qualification_request_id", "worker_id", "qualification_type_id",
            "submit_time", "granted_value", "action");
    private static final Logger log = LoggerFactory.getLogger(PendingRequestsTasklet.class);

    private record Pair(String typeId, String workerId) {
    }

    private final PendingRequestsMode mode;
    private final Set<String> typeIds;
    private final BooleanSupplier anyGranted;
    private final Supplier<List<RowOutcome>> granted;
    private final Path file;
    private final Supplier<MTurkClient> clients;
    private final PendingListing listing;

    /**
     * @param typeIds      the run's qualification types (checked by the preflight)
     * @param anyGranted   whether this run GRANTED any row
     * @param granted      the rows this run GRANTED, in input order (from the job repository; read only when
     *                     pending requests were listed)
     * @param file         where the CSV of matching requests goes
     * @param listing      the run's listing, if one was made beside a single grant
     */
    public PendingRequestsTasklet(PendingRequestsMode mode, Set<String> typeIds, BooleanSupplier anyGranted,
                                  Supplier<List<RowOutcome>> granted, Path file,
                                  Supplier<MTurkClient> clients, PendingListing listing) {
        this.mode = mode;
        this.typeIds = typeIds;
        this.anyGranted = anyGranted;
        this.granted = granted;
        this.file = file;
        this.clients = clients;
        this.listing = listing;
    }

    /** Where the pending-requests CSV of a report goes: {@code NAME.pending-requests.csv} beside it. */
    public static Path fileFor(Path report) {
        String name = report.getFileName().toString();
        String stem = name.endsWith(".report.csv") ? name.substring(0, name.length() - ".report.csv".length())
                : name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return report.resolveSibling(stem + ".pending-requests.csv");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext jobContext = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        if (mode == PendingRequestsMode.IGNORE || typeIds.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        List<Object[]> lines = new ArrayList<>();
        int rejected = 0;
        if (!anyGranted.getAsBoolean()) {
            log.info("No row granted in this run: its pending qualification requests are not listed");
        } else {
            List<QualificationRequest> listed = listing.takeBesideTheGrant(typeIds);
            // a client only for the calls left to make: the listing (unless made beside the grant), the rejections
            try (MTurkClient client = listed == null || mode == PendingRequestsMode.REJECT ? clients.get() : null) {
                Map<Pair, List<QualificationRequest>> pending = byWorker(listed, client);
                for (RowOutcome row : pending.isEmpty() ? List.<RowOutcome>of() : granted.get()) {
                    List<QualificationRequest> requests = pending.remove(new Pair(row.qualificationTypeId(), row.workerId()));
                    for (QualificationRequest request : requests == null ? List.<QualificationRequest>of() : requests) {
                        String action = "reported";
                        if (mode == PendingRequestsMode.REJECT) {
                            action = reject(client, request, row.integerValue());
                            rejected += action.equals("rejected") ? 1 : 0;
                        }
                        lines.add(new Object[] {request.qualificationRequestId(), request.workerId(),
                                request.qualificationTypeId(), request.submitTime(), row.integerValue(), action});
                    }
                }
            }
            log.info("Pending qualification requests of workers granted in this run: {} ({} rejected)", lines.size(), rejected);
        }
        if (!lines.isEmpty()) {
            write(lines);
            jobContext.putString(FILE, file.toString());
        }
        jobContext.putLong(MATCHED, lines.size());
        jobContext.putLong(REJECTED, rejected);
        jobContext.putString(MODE, mode.name());
        return RepeatStatus.FINISHED;
    }

    /** The pending requests (those listed beside the grant, or else listed now) by type and worker. */
    private Map<Pair, List<QualificationRequest>> byWorker(List<QualificationRequest> listed, MTurkClient client) {
        Map<Pair, List<QualificationRequest>> pending = new HashMap<>();
        for (QualificationRequest request : listed != null ? listed : PendingListing.list(client, typeIds)) {
            pending.computeIfAbsent(new Pair(request.qualificationTypeId(), request.workerId()), pair -> new ArrayList<>())
                    .add(request);
        }
        return pending;
    }

    private static String reject(MTurkClient client, QualificationRequest request, String value) {
        try {
            client.rejectQualificationRequest(b -> b.qualificationRequestId(request.qualificationRequestId())
                    .reason("You have been granted this qualification directly (score " + value
                            + "), so this request is closed."));
            return "rejected";
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? "" : ": " + e.awsErrorDetails().errorMessage();
            return "reject failed: " + code + message;
        }
    }

    private void write(List<Object[]> lines) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (BufferedWriter out = PrivateFiles.newWriter(partial);
             CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            printer.printRecord(COLUMNS);
            for (Object[] line : lines) {
                Object[] safe = new Object[line.length];
                for (int i = 0; i < line.length; i++) {
                    safe[i] = SpreadsheetSafe.cell(line[i] == null ? "" : line[i].toString());
                }
                printer.printRecord(safe);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
        }
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
