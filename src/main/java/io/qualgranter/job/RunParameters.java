package io.qualgranter.job;

/**
 * Names of the grant job's parameters. The identifying ones make a run's identity (design.md,
 * Runs and reruns): the input's SHA-256 plus the options that change what is granted, and the
 * attempt number (a completed run with FAILED rows is tried again as the next attempt).
 */
public final class RunParameters {

    // identifying
    public static final String INPUT_SHA256 = "input.sha256";
    public static final String DEFAULT_TYPE = "default.type";
    public static final String DEFAULT_VALUE = "default.value";
    public static final String NOTIFY = "notify";
    public static final String TARGET = "target";
    public static final String MODE = "mode";
    public static final String ATTEMPT = "attempt";

    // not identifying: may differ between the executions of one run
    public static final String INPUT_PATH = "input.path";
    public static final String REPORT_PATH = "report.path";
    public static final String RATE = "rate";
    public static final String CONCURRENCY = "concurrency";
    public static final String MAX_INVALID = "max.invalid";
    public static final String FORCE = "force";
    /** The job instance of the completed attempt whose outcomes this attempt carries over (all but FAILED). */
    public static final String CARRY_INSTANCE = "carry.instance";
    public static final String PENDING_REQUESTS = "pending.requests";
    /** LIST, OFF or PLAN (holders.HolderListing): what the run does about the types' holders at the service. */
    public static final String HOLDERS = "holders";

    public static final String MODE_GRANT = "grant";
    public static final String MODE_DRY_RUN = "dry-run";

    private RunParameters() {
    }
}
