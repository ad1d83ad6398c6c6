package io.qualgranter.pending;

/** {@code --pending-requests}: what to do with pending qualification requests of the workers a run granted. */
public enum PendingRequestsMode {
    /** Do not look. */
    IGNORE,
    /** List them in a CSV beside the report and count them in the summary (the default). */
    REPORT,
    /** Report them and resolve them with RejectQualificationRequest, so the granted score stays. */
    REJECT
}
