package io.qualgranter.holders;

/** Whether a run first asks the service who already holds its types (see {@link ListHoldersTasklet}). */
public enum HolderListing {
    /** A real run lists the holders of a type when that can save calls (the default). */
    LIST,
    /** Never (--no-list-holders); --force and a plain dry run make no listing either. */
    OFF,
    /** A dry run with credentials lists them too, so that its report is what a real run would do (--plan-against-service). */
    PLAN
}
