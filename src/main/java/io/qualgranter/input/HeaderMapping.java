package io.qualgranter.input;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each known column sits in the header row. Built once per file; unknown columns are ignored.
 */
public record HeaderMapping(Map<Column, Integer> positions) {

    private static final String EXPECTED = "expected a header row naming a WorkerId column (and QualificationTypeId,"
            + " IntegerValue, SendNotification), such as WorkerId,QualificationTypeId,IntegerValue";

    public static HeaderMapping of(String fileName, List<String> header) {
        Map<Column, Integer> positions = new EnumMap<>(Column.class);
        for (int i = 0; i < header.size(); i++) {
            Column column = Column.forHeader(header.get(i));
            if (column == null) {
                continue;
            }
            Integer earlier = positions.putIfAbsent(column, i);
            if (earlier != null) {
                throw new InputFileException(fileName + ": line 1: the header names the " + column.label()
                        + " column twice (\"" + header.get(earlier) + "\" in column " + (earlier + 1) + " and \""
                        + header.get(i) + "\" in column " + (i + 1) + "): keep one of them");
            }
        }
        if (positions.isEmpty()) {
            String firstCell = header.isEmpty() ? "" : Whitespace.strip(header.get(0));
            if (firstCell.matches("A[A-Z0-9]{1,63}")) {
                throw new InputFileException(fileName + ": line 1: \"" + abbreviate(header)
                        + "\" looks like data, not a header: " + EXPECTED);
            }
            throw new InputFileException(fileName + ": line 1: no usable header: " + EXPECTED + "; found \""
                    + abbreviate(header) + "\"");
        }
        return new HeaderMapping(positions);
    }

    public boolean has(Column column) {
        return positions.containsKey(column);
    }

    /** The cell of the given column, or null when the file has no such column or the record is short. */
    public String cell(List<String> record, Column column) {
        Integer position = positions.get(column);
        return position == null || position >= record.size() ? null : record.get(position);
    }

    private static String abbreviate(List<String> header) {
        StringBuilder joined = new StringBuilder();
        for (String cell : header) {
            if (joined.length() > 80) {
                break;
            }
            joined.append(joined.isEmpty() ? "" : ",").append(cell);
        }
        String text = joined.length() > 80 ? joined.substring(0, 77) + "..." : joined.toString();
        StringBuilder printable = new StringBuilder();
        for (char c : text.toCharArray()) {
            printable.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return printable.toString();
    }
}
