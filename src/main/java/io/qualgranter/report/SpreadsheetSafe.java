package io.qualgranter.report;

/**
 * Keeps report cells from running as formulas when the report is opened in a spreadsheet: a cell
 * that starts with =, +, -, @, tab or carriage return gets a leading apostrophe (OWASP's advice).
 */
public final class SpreadsheetSafe {

    private SpreadsheetSafe() {
    }

    public static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        return startsFormula(text.charAt(0)) ? "'" + text : text;
    }

    /** Whether a cell starting with this character would run as a formula (and so gets an apostrophe). */
    static boolean startsFormula(char first) {
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }

    /** Numbers such as -5 stay as they are; anything else is treated as text. */
    public static String number(String text) {
        if (text == null) {
            return "";
        }
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return cell(text);
            }
        }
        return digits >= 1 && digits <= 10 ? text : cell(text);
    }
}
