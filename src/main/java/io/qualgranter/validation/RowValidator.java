package io.qualgranter.validation;

import java.util.Locale;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.GrantRow;
import io.qualgranter.input.Whitespace;

/**
 * The MTurk service model's rules (2017-01-17) for AssociateQualificationWithWorker:
 * WorkerId {@code ^A[A-Z0-9]+$}, QualificationTypeId {@code ^[A-Z0-9]+$}, both 1-64 characters;
 * IntegerValue a 32-bit integer. Written as plain loops: this runs once per row, millions of times.
 * Not thread-safe (one per step).
 */
public final class RowValidator {

    static final int MAX_ID_LENGTH = 64;

    private final RunDefaults defaults;
    private final RecentTypes recentTypes = new RecentTypes(type -> 0); // (no value kept: only the Strings)

    public RowValidator(RunDefaults defaults) {
        this.defaults = defaults;
    }

    public Validated validate(GrantRow row) {
        if (row.problem() != null) {
            return Validated.invalid(row.problem());
        }
        StringBuilder trimmed = new StringBuilder();

        String worker = strip(row.workerId(), "WorkerId", trimmed);
        String problem = checkWorkerId(worker);
        if (problem != null) {
            return Validated.invalid(problem);
        }

        String type = strip(row.qualificationTypeId(), "QualificationTypeId", trimmed);
        if (type.isEmpty()) {
            type = defaults.qualificationTypeId() == null ? "" : defaults.qualificationTypeId();
        }
        String known = recentTypes.known(type); // only valid types are kept there: no need to check again
        if (known == null) {
            problem = checkTypeId(type);
            if (problem != null) {
                return Validated.invalid(problem);
            }
            known = recentTypes.canonical(type);
        }
        type = known; // one String per type: its hash is computed once

        String valueCell = strip(row.integerValue(), "IntegerValue", trimmed);
        int value = defaults.integerValue();
        if (!valueCell.isEmpty()) {
            Integer parsed = parseInteger(valueCell);
            if (parsed == null) {
                return Validated.invalid(describeBadInteger(valueCell));
            }
            value = parsed;
        }

        String notifyCell = strip(row.sendNotification(), "SendNotification", trimmed);
        boolean notify = defaults.sendNotification();
        if (!notifyCell.isEmpty()) {
            Boolean parsed = parseBoolean(notifyCell);
            if (parsed == null) {
                return Validated.invalid("SendNotification \"" + printable(notifyCell) + "\" is not true/false/yes/no/1/0");
            }
            notify = parsed;
        }
        return Validated.valid(new GrantRequest(worker, type, value, notify),
                trimmed.isEmpty() ? null : "whitespace trimmed (" + trimmed + ")");
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
            return what + " \"" + printable(id) + "\" is " + id.length() + " characters long (at most " + MAX_ID_LENGTH + ")";
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
            if (holdsSeveralIds(what, id)) {
                return what + " \"" + printable(id) + "\" holds more than one id: one " + what + " per row";
            }
            if (c == '\uFFFD') {
                return what + " \"" + printable(id) + "\" has bytes that are not UTF-8 at position " + (i + 1)
                        + " (is the file Latin-1? save it as CSV UTF-8)";
            }
            if (Whitespace.isSpace(c)) {
                return what + " \"" + printable(id) + "\" has a space inside it at position " + (i + 1)
                        + ": expected A-Z and 0-9 only";
            }
            return what + " \"" + printable(id) + "\" has a character that is not A-Z or 0-9 at position " + (i + 1);
        }
        if (lowerCase) {
            return what + " \"" + id + "\" has lower-case letters: MTurk ids are upper-case; not changed to "
                    + id.toUpperCase(Locale.ROOT) + " (a mangled id is a sign of a wrong export: check it)";
        }
        return null;
    }

    /** "A1,A2", "A1;A2", "A1 A2", "A1|A2": two or more parts that each look like an id of this kind. */
    private static boolean holdsSeveralIds(String what, String id) {
        String[] parts = id.split("[,;|/\\s\u00A0]+");
        if (parts.length < 2) {
            return false;
        }
        String shape = what.equals("WorkerId") ? "[Aa][A-Za-z0-9]{1,63}" : "[A-Za-z0-9]{10,64}";
        for (String part : parts) {
            if (!part.matches(shape)) {
                return false;
            }
        }
        return true;
    }

    /** A 32-bit integer written as optional sign and decimal digits; anything else is null. */
    static Integer parseInteger(String text) {
        int start = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (start == text.length()) {
            return null;
        }
        int significant = -1;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            if (significant < 0 && c != '0') {
                significant = i;
            }
        }
        if (significant < 0) {
            return 0;
        }
        if (text.length() - significant > 10) {
            return null;
        }
        long value = Long.parseLong(text.substring(significant));
        value = text.charAt(0) == '-' ? -value : value;
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : (int) value;
    }

    private static String describeBadInteger(String text) {
        String shown = "IntegerValue \"" + printable(text) + "\"";
        if (text.matches("[+-]?\\d+")) {
            return "IntegerValue " + text + " is outside the 32-bit integer range (-2147483648 to 2147483647)";
        }
        if (text.matches("[+-]?\\d+\\.0*")) {
            return shown + " is not written as a whole number: write it without the decimal part ("
                    + text.substring(0, text.indexOf('.')) + ")";
        }
        if (text.matches("[+-]?\\d{1,3}([,' \\u00A0]\\d{3})+")) {
            return shown + " has thousands separators: write the digits only";
        }
        if (text.matches("[+-]?\\d*[.,]\\d+")) {
            return shown + " is not a whole number: it has a fractional part";
        }
        if (text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)[eE][+-]?\\d+")) {
            return shown + " is in exponent notation: write the whole number in decimal digits";
        }
        if (text.matches("[+-]?0[xX][0-9a-fA-F]+")) {
            return shown + " is hexadecimal: write the whole number in decimal digits";
        }
        return shown + " is not a whole number (expected decimal digits, optionally signed)";
    }

    static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "y" -> Boolean.TRUE;
            case "false", "no", "0", "n" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The cell without surrounding whitespace; names the column in {@code trimmed} when there was some. */
    private static String strip(String cell, String column, StringBuilder trimmed) {
        String stripped = Whitespace.strip(cell);
        if (cell != null && cell.length() != stripped.length()) {
            trimmed.append(trimmed.isEmpty() ? "" : ", ").append(column);
        }
        return stripped;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c == 0x7f || (c != ' ' && Whitespace.isSpace(c))) {
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
