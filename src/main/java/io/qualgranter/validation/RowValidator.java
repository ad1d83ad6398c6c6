package io.qualgranter.validation;

import io.qualgranter.grant.GrantRequest;
import io.qualgranter.input.GrantRow;

/**
 * The MTurk service model's rules (2017-01-17) for AssociateQualificationWithWorker:
 * WorkerId {@code ^A[A-Z0-9]+$}, QualificationTypeId {@code ^[A-Z0-9]+$}, both 1-64 characters;
 * IntegerValue a 32-bit integer. Written as plain loops: this runs once per row, millions of times.
 */
public final class RowValidator {

    static final int MAX_ID_LENGTH = 64;

    private final RunDefaults defaults;

    public RowValidator(RunDefaults defaults) {
        this.defaults = defaults;
    }

    public Validated validate(GrantRow row) {
        if (row.problem() != null) {
            return Validated.invalid(row.problem());
        }
        boolean trimmed = false;

        String worker = strip(row.workerId());
        trimmed |= changed(row.workerId(), worker);
        String problem = checkWorkerId(worker);
        if (problem != null) {
            return Validated.invalid(problem);
        }

        String type = strip(row.qualificationTypeId());
        trimmed |= changed(row.qualificationTypeId(), type);
        if (type.isEmpty()) {
            type = defaults.qualificationTypeId() == null ? "" : defaults.qualificationTypeId();
        }
        problem = checkTypeId(type);
        if (problem != null) {
            return Validated.invalid(problem);
        }

        String valueCell = strip(row.integerValue());
        trimmed |= changed(row.integerValue(), valueCell);
        int value = defaults.integerValue();
        if (!valueCell.isEmpty()) {
            Integer parsed = parseInteger(valueCell);
            if (parsed == null) {
                return Validated.invalid(describeBadInteger(valueCell));
            }
            value = parsed;
        }

        String notifyCell = strip(row.sendNotification());
        boolean notify = defaults.sendNotification();
        if (!notifyCell.isEmpty()) {
            Boolean parsed = parseBoolean(notifyCell);
            if (parsed == null) {
                return Validated.invalid("SendNotification \"" + notifyCell + "\" is not true/false/yes/no/1/0");
            }
            notify = parsed;
        }
        return Validated.valid(new GrantRequest(worker, type, value, notify), trimmed ? "whitespace trimmed" : null);
    }

    static String checkWorkerId(String id) {
        if (id.isEmpty()) {
            return "missing WorkerId";
        }
        String shape = checkIdShape("WorkerId", id);
        if (shape != null) {
            return shape;
        }
        if (id.charAt(0) != 'A') {
            return "WorkerId \"" + id + "\" must start with A";
        }
        if (id.length() < 2) {
            return "WorkerId \"" + id + "\" is too short";
        }
        return null;
    }

    static String checkTypeId(String id) {
        if (id.isEmpty()) {
            return "missing QualificationTypeId (no column value and no --qualification-type-id)";
        }
        return checkIdShape("QualificationTypeId", id);
    }

    private static String checkIdShape(String what, String id) {
        if (id.length() > MAX_ID_LENGTH) {
            return what + " is " + id.length() + " characters long (at most " + MAX_ID_LENGTH + ")";
        }
        boolean lowerCase = false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                continue;
            }
            if (c >= 'a' && c <= 'z') {
                lowerCase = true;
                continue;
            }
            return what + " \"" + printable(id) + "\" has a character that is not A-Z or 0-9 at position " + (i + 1);
        }
        if (lowerCase) {
            return what + " \"" + id + "\" has lower-case letters: MTurk ids are upper-case (not changed: check the export)";
        }
        return null;
    }

    /** A 32-bit integer written as optional sign and decimal digits; anything else is null. */
    static Integer parseInteger(String text) {
        int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (start == text.length() || text.length() - start > 11) {
            return null;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        long value = Long.parseLong(text);
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : (int) value;
    }

    private static String describeBadInteger(String text) {
        if (text.matches("[+-]?\\d+")) {
            return "IntegerValue " + text + " is outside the 32-bit integer range";
        }
        return "IntegerValue \"" + printable(text) + "\" is not a whole number";
    }

    static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase()) {
            case "true", "yes", "1", "y" -> Boolean.TRUE;
            case "false", "no", "0", "n" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String strip(String cell) {
        return cell == null ? "" : cell.strip();
    }

    private static boolean changed(String raw, String stripped) {
        return raw != null && raw.length() != stripped.length();
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
            if (out.length() > 70) {
                return out.append("...").toString();
            }
        }
        return out.toString();
    }
}
