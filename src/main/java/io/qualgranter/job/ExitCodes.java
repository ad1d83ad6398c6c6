package io.qualgranter.job;

/** The contract's exit codes (design.md, Outcomes, report, exit codes). */
public final class ExitCodes {

    /** Done; every row granted or skipped on purpose. */
    public static final int DONE = 0;
    /** The run failed or was stopped part-way: run the same command again to resume. */
    public static final int RESUMABLE = 1;
    /** Nothing was sent: bad arguments, unusable file, too many invalid rows, failed preflight. */
    public static final int NOTHING_SENT = 2;
    /** Done, but some rows were INVALID, REJECTED or FAILED. */
    public static final int DONE_WITH_PROBLEMS = 3;
    /** Another run of the same job, or holding the same job repository, is in progress. */
    public static final int ALREADY_RUNNING = 4;

    private ExitCodes() {
    }
}
