package io.qualgranter.input;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each known column sits in the header row. Built once per file; unknown columns are ignored.
 */
public record HeaderMapping(Map<Column, Integer> positions) {

    public static HeaderMapping of(String fileName, List<String> header) {
        Map<Column, Integer> positions = new EnumMap<>(Column.class);
        for (int i = 0; i < header.size(); i++) {
            Column column = Column.forHeader(header.get(i));
            if (column == null) {
                continue;
            }
            Integer earlier = positions.putIfAbsent(column, i);
            if (earlier != null) {
                throw new InputFileException(fileName + ": line 1: the header names the " + column.name().toLowerCase()
                        + " column twice (\"" + header.get(earlier) + "\" and \"" + header.get(i) + "\")");
            }
        }
        if (positions.isEmpty()) {
            throw new InputFileException(fileName + ": line 1: no usable header: expected a WorkerId column"
                    + " (and QualificationTypeId, IntegerValue, SendNotification); found " + abbreviate(header));
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
        String joined = String.join(",", header);
        return joined.length() > 80 ? joined.substring(0, 77) + "..." : joined;
    }
}
