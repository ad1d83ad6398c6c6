package io.qualgranter.grant;

import io.qualgranter.row.Outcome;

/** What one AssociateQualificationWithWorker call came to: GRANTED, REJECTED or FAILED, and why. */
public record CallResult(Outcome outcome, String detail) {

    public static CallResult granted() {
        return new CallResult(Outcome.GRANTED, "");
    }
}
