package io.qualgranter.input;

/**
 * Whitespace as spreadsheets leave it around cells: what {@link String#strip()} removes, plus the
 * no-break and zero-width spaces (U+00A0, U+2007, U+202F, U+200B, U+2060, U+FEFF) that Java does not
 * count as whitespace but that an id copied from a web page or a spreadsheet often carries.
 */
public final class Whitespace {

    private Whitespace() {
    }

    public static boolean isSpace(char c) {
        if (c > ' ' && c < '\u007F') {
            return false; // printable ASCII, every cell's first and last character but a few: no table lookups
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c)
                || c == '\u200B' || c == '\u2060' || c == '\uFEFF';
    }

    /** The text without surrounding whitespace; "" for null. */
    public static String strip(String text) {
        if (text == null) {
            return "";
        }
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == text.length() ? text : text.substring(start, end);
    }
}
