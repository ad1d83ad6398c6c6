package io.qualgranter.input;

import java.nio.file.Path;

/**
 * The first look at an input file, before a run starts: can it be used at all, and do its columns,
 * with the command line's defaults, say who gets which qualification? Reads the header and the
 * first data row only; the validate step reads the rest.
 */
public final class InputCheck {

    private InputCheck() {
    }

    /** What a run says of a file with a header and no data row (exit 0: nothing to do). */
    public static String nothingToGrant(Path path) {
        return path.getFileName() + ": a header but no data rows: nothing to grant";
    }

    /**
     * Throws {@link InputFileException} when the file cannot be used; answers whether it has any
     * data row (a header alone is a file with nothing to grant).
     */
    public static boolean hasDataRows(Path path, boolean typeOnCommandLine) {
        try (RowSource file = GrantInput.of(path).open()) {
            String name = path.getFileName().toString();
            if (!file.has(Column.WORKER)) {
                throw new InputFileException(name + ": line 1: no WorkerId column: expected one named WorkerId,"
                        + " worker-id, worker_id, worker or Worker ID"
                        + (file instanceof GrantFile csv ? " (read as " + csv.delimiter().label() + "-separated)" : ""));
            }
            if (!file.has(Column.TYPE) && !typeOnCommandLine) {
                throw new InputFileException(name + ": line 1: no QualificationTypeId column and no"
                        + " --qualification-type-id given: add the column (QualificationTypeId, type, qualification)"
                        + " or give the type on the command line");
            }
            return file.next() != null;
        }
    }
}
