package io.qualgranter.row;

/**
 * One data row of the input, as read: raw cell values (null when the file has no such column),
 * and the line of the input file where the record starts. {@code problem} is a reason the reader
 * already knows the row cannot be granted (a {@code Revoke} cell in the website's worker file), or null.
 */
public record GrantRow(long line, String workerId, String qualificationTypeId, String integerValue,
                       String sendNotification, String problem) {

    public GrantRow(long line, String workerId, String qualificationTypeId, String integerValue,
                    String sendNotification) {
        this(line, workerId, qualificationTypeId, integerValue, sendNotification, null);
    }
}
