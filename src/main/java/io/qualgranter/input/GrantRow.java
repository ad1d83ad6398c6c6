package io.qualgranter.input;

/**
 * One data row of the input, as read: raw cell values (null when the file has no such column),
 * and the line of the input file where the record starts.
 */
public record GrantRow(long line, String workerId, String qualificationTypeId, String integerValue,
                       String sendNotification) {
}
