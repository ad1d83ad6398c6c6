package io.qualgranter.row;

/** How a data row ended. Every row of the input ends in exactly one of these (design.md, Outcomes). */
public enum Outcome {
    GRANTED, DUPLICATE, ALREADY_GRANTED, INVALID, REJECTED, FAILED, WOULD_GRANT;

    /** Outcomes that make a finished run exit 3 instead of 0. */
    public boolean needsAttention() {
        return this == INVALID || this == REJECTED || this == FAILED;
    }
}
