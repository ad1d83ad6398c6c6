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
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + text : text;
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
