package io.qualgranter.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.qualgranter.GranterApplication;
import io.qualgranter.StartUpWarmUp;
import io.qualgranter.grant.MTurkEndpoints;
import io.qualgranter.holders.HolderListing;
import io.qualgranter.input.InputCheck;
import io.qualgranter.input.InputFileException;
import io.qualgranter.input.StandardInputSpool;
import io.qualgranter.job.ExitCodes;
import io.qualgranter.job.GrantOptions;
import io.qualgranter.job.GrantRunner;
import io.qualgranter.job.GranterProperties;
import io.qualgranter.job.RunResult;
import io.qualgranter.row.GrantRow;
import io.qualgranter.pending.PendingRequestsMode;
import io.qualgranter.preflight.EarlyPreflight;
import io.qualgranter.validation.InvalidLimit;
import io.qualgranter.validation.RowValidator;
import io.qualgranter.validation.RunDefaults;
import io.qualgranter.validation.Validated;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.context.ConfigurableApplicationContext;

/** {@code granter grant}: options → {@link GrantOptions} → {@link GrantRunner} → summary and exit code. */
@Command(name = "grant", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Grant qualifications to the workers listed in a CSV, JSON Lines or Requester-website worker file (or to one worker).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done; every row granted or skipped on purpose",
                "1:failed or stopped part-way: run the same command again to resume",
                "2:nothing was sent: bad arguments, unusable file, too many invalid rows, failed preflight, wrong environment",
                "3:done, but some rows were INVALID, REJECTED or FAILED: see the report",
                "4:another run of the same job is in progress"})
public class GrantCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** {@code --input -}: standard input, spooled to $GRANTER_HOME/stdin first (see {@link StandardInputSpool}). */
    static final Path STANDARD_INPUT = Path.of("-");

    @Option(names = "--input", paramLabel = "FILE", description = "CSV with a header row (comma, tab or semicolon, "
            + "detected), JSON Lines (.jsonl: one --cli-input-json request per line), or the Requester website's "
            + "worker CSV (UPDATE- columns); - for standard input")
    Path input;

    @Option(names = "--worker-id", paramLabel = "ID", description = "grant to this one worker (no file)")
    String workerId;

    @Option(names = "--qualification-type-id", paramLabel = "ID", description = "type for rows without one")
    String qualificationTypeId;

    @Option(names = "--integer-value", paramLabel = "N", defaultValue = "1", description = "value for rows without one (default: ${DEFAULT-VALUE})")
    int integerValue;

    @Option(names = "--send-notification", negatable = true, defaultValue = "false",
            description = "email the worker (default: no; a SendNotification column overrides per row)")
    boolean sendNotification;

    @Option(names = "--sandbox", description = "the MTurk sandbox (the default)")
    boolean sandbox;

    @Option(names = "--production", description = "the real MTurk marketplace")
    boolean production;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "any MTurk-compatible endpoint")
    URI endpointUrl;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "5", description = "most requests per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "most requests in flight (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--dry-run", description = "read, validate, de-duplicate and report; no API call at all")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FILE", description = "per-row outcome CSV (default: NAME.report.csv beside the input)")
    Path report;

    @Option(names = "--max-invalid", paramLabel = "N|P%", defaultValue = "10%",
            description = "stop before the first call when more rows than this are invalid (default: ${DEFAULT-VALUE})")
    String maxInvalid;

    @Option(names = "--force", description = "grant again rows that an earlier run already granted")
    boolean force;

    // --- issue 5: pending requests, skeleton
    @Option(names = "--pending-requests", paramLabel = "ignore|report|reject", defaultValue = "report",
            description = "pending qualification requests of the workers granted: ignore, report (CSV beside the report) "
                    + "or reject them so the granted score stays (default: ${DEFAULT-VALUE})")
    PendingRequestsMode pendingRequests;

    @Option(names = "--list-holders", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "first ask the service which workers already hold the types, when that can save calls"
                    + " (default: on; a dry run lists only with --plan-against-service, --force never)")
    boolean listHolders;

    @Option(names = "--plan-against-service", description = "with --dry-run: check the credentials and types and list"
            + " the types' holders, so that the report shows what a real run would change (read-only calls)")
    boolean planAgainstService;

    @Option(names = "--generate-skeleton", arity = "0..1", paramLabel = "csv|jsonl", fallbackValue = "both",
            description = "print a sample CSV and a sample JSON line (or only csv / jsonl), then exit")
    String generateSkeleton;

    // -- watching and scheduling runs (#8)
    @Option(names = "--summary-json", paramLabel = "FILE", description = "also write the end-of-run summary as JSON to FILE")
    Path summaryJson;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
            description = "text: summary and one-line messages on the terminal; json: JSON log lines on stdout (default: ${DEFAULT-VALUE})")
    LogFormat logFormat;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (generateSkeleton != null) {
            return Skeleton.print(spec.commandLine().getOut(), err, generateSkeleton);
        }
        String problem = checkArguments();
        if (problem != null) {
            err.println("granter: " + problem);
            return ExitCodes.NOTHING_SENT;
        }
        InvalidLimit limit;
        try {
            limit = InvalidLimit.parse(maxInvalid);
        } catch (IllegalArgumentException e) {
            err.println("granter: " + e.getMessage());
            return ExitCodes.NOTHING_SENT;
        }
        if (input != null && !STANDARD_INPUT.equals(input) && logFormat == LogFormat.TEXT) {
            // an unusable file is said at once, before the job repository is even opened
            // (JSON log lines need the context's logging: the runner makes the same check there)
            RunResult refused = firstLook(input);
            if (refused != null) {
                tellTheEnd(options(input, limit), refused, err);
                return refused.exitCode();
            }
        }
        String reportProblem = reportProblem();
        if (reportProblem != null) {
            err.println("granter: " + reportProblem);
            return ExitCodes.NOTHING_SENT;
        }
        if (STANDARD_INPUT.equals(input) && System.console() != null) {
            err.println("granter: --input - reads standard input, which is a terminal here: pipe a file in"
                    + " (granter grant --input - < workers.csv)");
            return ExitCodes.NOTHING_SENT;
        }
        try (ConfigurableApplicationContext context = GranterApplication.start(springArguments())) {
            Path home = context.getBean(GranterProperties.class).home();
            Path file;
            try {
                file = input == null ? singleGrantFile(home)
                        : STANDARD_INPUT.equals(input) ? StandardInputSpool.spool(System.in, home) : input;
            } catch (InputFileException e) {
                err.println("granter: " + e.getMessage());
                return ExitCodes.NOTHING_SENT;
            }
            GrantOptions options = options(file, limit);
            RunResult result = context.getBean(GrantRunner.class).run(options);
            tellTheEnd(options, result, err);
            return result.exitCode();
        } finally {
            EarlyPreflight.forget(); // a run that ended before its preflight left them
        }
    }

    private GrantOptions options(Path file, InvalidLimit limit) {
        return new GrantOptions(file, report, qualificationTypeId, integerValue, sendNotification,
                endpoint(), rate, concurrency, dryRun, limit, force, pendingRequests,
                !listHolders ? HolderListing.OFF : planAgainstService ? HolderListing.PLAN : HolderListing.LIST);
    }

    /** The input's header and first row: a refusal (exit 2), "nothing to grant" (exit 0), or null to go on. */
    private RunResult firstLook(Path file) {
        try {
            return InputCheck.hasDataRows(file, qualificationTypeId != null) ? null
                    : RunResult.refused(ExitCodes.DONE, InputCheck.nothingToGrant(file));
        } catch (InputFileException e) {
            return RunResult.refused(ExitCodes.NOTHING_SENT, e.getMessage());
        }
    }

    /**
     * The log format's settings, whether to warm up the SDK while the context starts (README,
     * Start-up time): unless nothing will be sent, and for a single grant the endpoint of its early preflight reads.
     */
    private String[] springArguments() {
        List<String> arguments = new ArrayList<>(List.of(logFormat.springArguments()));
        arguments.add("--" + StartUpWarmUp.WARM_UP_SDK + "=" + !dryRun);
        if (workerId != null && !dryRun) {
            arguments.add("--" + StartUpWarmUp.EARLY_PREFLIGHT + "=" + endpoint());
        }
        return arguments.toArray(String[]::new);
    }

    /** The summary table (or, with --log-format json, one log event), and --summary-json. */
    private void tellTheEnd(GrantOptions options, RunResult result, PrintWriter err) {
        if (logFormat == LogFormat.JSON) {
            RunLog.log(options, result);
        } else {
            Summary.print(spec.commandLine().getOut(), err, result);
        }
        if (summaryJson != null) {
            try {
                SummaryJson.write(summaryJson, options, result);
            } catch (IOException | RuntimeException e) {
                err.println("granter: cannot write --summary-json " + summaryJson + ": " + Messages.oneLine(e));
                err.flush();
            }
        }
    }

    /** A report path that cannot be written is said before the job repository is opened and before any call. */
    private String reportProblem() {
        Path path = report;
        if (path == null && input != null && !STANDARD_INPUT.equals(input)) {
            path = options(input, InvalidLimit.parse("10%")).reportPath();
        }
        if (path == null) {
            return null;
        }
        Path absolute = path.toAbsolutePath();
        Path directory = absolute.getParent();
        String flag = report == null ? "its default place" : "--report";
        if (Files.isDirectory(absolute)) {
            return "cannot write the report " + absolute + " (it is a directory): give --report a file path; nothing was sent";
        }
        if (directory != null && !Files.isDirectory(directory)) {
            return "cannot write the report " + absolute + " (directory " + directory + " does not exist): create it, "
                    + "or give --report a path in an existing directory; nothing was sent";
        }
        if (directory != null && !Files.isWritable(directory)) {
            return "cannot write the report " + absolute + " (" + flag + ": directory " + directory + " is not writable):"
                    + " give --report a path in a writable directory; nothing was sent";
        }
        return null;
    }

    private String checkArguments() {
        if (input == null && workerId == null) {
            return "give --input FILE, or --worker-id with --qualification-type-id for a single grant";
        }
        if (input != null && workerId != null) {
            return "give either --input or --worker-id, not both";
        }
        if (workerId != null && qualificationTypeId == null) {
            return "a single grant (--worker-id) needs --qualification-type-id";
        }
        if (workerId != null) {
            Validated single = new RowValidator(new RunDefaults(null, integerValue, sendNotification))
                    .validate(new GrantRow(1, workerId, qualificationTypeId, null, null));
            if (!single.isValid()) {
                return "--worker-id/--qualification-type-id: " + single.invalidReason();
            }
        }
        if (planAgainstService && !dryRun) {
            return "--plan-against-service goes with --dry-run (a real run lists the holders anyway)";
        }
        if (planAgainstService && !listHolders) {
            return "give --plan-against-service or --no-list-holders, not both";
        }
        if (sandbox && production) {
            return "give --sandbox or --production, not both";
        }
        if (endpointUrl != null && production) {
            return "give --production or --endpoint-url, not both";
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            return "--rate must be a positive number of requests per second";
        }
        if (concurrency < 1) {
            return "--concurrency must be at least 1";
        }
        return null;
    }

    /** --endpoint-url, else --production, else --sandbox, else $AWS_ENDPOINT_URL_MTURK, else the sandbox. */
    private URI endpoint() {
        if (endpointUrl != null) {
            return endpointUrl;
        }
        if (production) {
            return MTurkEndpoints.PRODUCTION;
        }
        String fromEnvironment = System.getenv("AWS_ENDPOINT_URL_MTURK");
        if (!sandbox && fromEnvironment != null && !fromEnvironment.isBlank()) {
            return URI.create(fromEnvironment.strip());
        }
        return MTurkEndpoints.SANDBOX;
    }

    /** A single grant runs as a one-row file, so it is recorded, resumable and reported like any other run. */
    private Path singleGrantFile(Path home) {
        try {
            Path directory = Files.createDirectories(home.resolve("single"));
            // the ids were checked against the service model ([A-Z0-9]), so they are safe in a file name
            Path file = directory.resolve(workerId.strip() + "-" + qualificationTypeId.strip() + ".csv");
            Files.writeString(file, "WorkerId,QualificationTypeId,IntegerValue\n"
                    + csvCell(workerId) + "," + csvCell(qualificationTypeId) + "," + integerValue + "\n");
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the single-grant file under " + home + ": " + e.getMessage(), e);
        }
    }

    private static String csvCell(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
