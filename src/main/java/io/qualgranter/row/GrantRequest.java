package io.qualgranter.row;

/** One validated call of AssociateQualificationWithWorker. */
public record GrantRequest(String workerId, String qualificationTypeId, int integerValue, boolean sendNotification) {
}
