package io.qualgranter.report;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.qualgranter.row.GrantRequest;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.row.RowOutcome;

/**
 * The text of an outcome block as UTF-8 bytes, a line at a time: the bytes of
 * {@code OutcomeCsv.toLine(row.settled()) + "\n"} for a settled row, {@code line + ",,,,,\n"} for a placeholder.
 *
 * <p>It runs once per row of every plan step, so the common line — a valid row (ids of A-Z and 0-9) whose
 * detail is plain printable ASCII — goes straight into the byte array, with none of the RowOutcome, the
 * Strings and the copies the general path makes. Any other line (an INVALID row's cells as read, a detail
 * with a comma, a quote, a line break, leading or trailing blanks, a formula's first character or
 * non-ASCII text, or longer than a report keeps) takes the general path, so the bytes are the same.
 */
final class BlockText {

    private byte[] bytes;
    private int length;
    private String lastIdType;

    BlockText(int capacity) {
        bytes = new byte[Math.max(capacity, 64)];
    }

    /** Appends the row's line and its line separator. */
    void append(PlannedRow row) {
        if (row.needsCall()) {
            appendLong(row.row().line());
            appendAscii(",,,,,\n");
        } else if (!appendPlain(row)) {
            byte[] line = (OutcomeCsv.toLine(row.settled()) + "\n").getBytes(StandardCharsets.UTF_8);
            ensure(line.length);
            System.arraycopy(line, 0, bytes, length, line.length);
            length += line.length;
        }
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** Writes a plain line and answers true, or writes nothing and answers false. */
    private boolean appendPlain(PlannedRow row) {
        GrantRequest request = row.request();
        String detail = row.detail() == null ? "" : row.detail();
        String type = request == null ? null : request.qualificationTypeId();
        if (request == null || !isId(request.workerId()) || !(type == lastIdType || isId(type)) || !isPlain(detail)) {
            return false;
        }
        lastIdType = type; // rows come in runs of one type, one String per type (the validator's): checked once
        appendLong(row.row().line());
        appendByte(',');
        appendAscii(request.workerId());
        appendByte(',');
        appendAscii(request.qualificationTypeId());
        appendByte(',');
        appendLong(request.integerValue()); // an int's digits, with its minus sign: SpreadsheetSafe.number keeps them
        appendByte(',');
        appendAscii(row.outcome().name());
        appendByte(',');
        appendAscii(detail);
        appendByte('\n');
        return true;
    }

    /** A non-empty id of A-Z and 0-9 (every valid request's): no quoting, no spreadsheet prefix. */
    private static boolean isId(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Printable ASCII that RowOutcome keeps as is (no line break, no blank at either end, not too long),
     * SpreadsheetSafe leaves alone (no formula's first character) and the CSV needs no quotes for.
     */
    private static boolean isPlain(String detail) {
        int n = detail.length();
        if (n == 0) {
            return true;
        }
        // longer details are cut by RowOutcome, formula-like ones marked by SpreadsheetSafe: the general path
        if (n > RowOutcome.MAX_DETAIL || detail.charAt(0) == ' ' || detail.charAt(n - 1) == ' '
                || SpreadsheetSafe.startsFormula(detail.charAt(0))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = detail.charAt(i);
            if (c < ' ' || c > '~' || c == ',' || c == '"') {
                return false;
            }
        }
        return true;
    }

    private void appendAscii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length + i] = (byte) text.charAt(i);
        }
        length += n;
    }

    private void appendByte(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
    }

    /** The decimal digits of {@code value}, as Long.toString writes them. */
    private void appendLong(long value) {
        ensure(20);
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                appendAscii(Long.toString(value));
                return;
            }
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
