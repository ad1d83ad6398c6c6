package io.qualgranter.validation;

/** Values from the command line for rows (or files) that do not give their own. */
public record RunDefaults(String qualificationTypeId, int integerValue, boolean sendNotification) {
}
