package io.qualgranter.validation;

/** {@code --max-invalid}: a number of rows ("25") or a share of the data rows ("10%"). */
public record InvalidLimit(long rows, double percent) {

    public static InvalidLimit parse(String text) {
        String t = text.strip();
        try {
            if (t.endsWith("%")) {
                double percent = Double.parseDouble(t.substring(0, t.length() - 1).strip());
                if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
                    throw new IllegalArgumentException();
                }
                return new InvalidLimit(-1, percent);
            }
            long rows = Long.parseLong(t);
            if (rows < 0) {
                throw new IllegalArgumentException();
            }
            return new InvalidLimit(rows, -1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-invalid takes a number of rows (25) or a percentage (10%), not \""
                    + text + "\"");
        }
    }

    public boolean exceededBy(long invalid, long total) {
        return rows >= 0 ? invalid > rows : invalid > total * percent / 100.0;
    }

    @Override
    public String toString() {
        return rows >= 0 ? Long.toString(rows) : (percent % 1 == 0 ? Long.toString((long) percent) : Double.toString(percent)) + "%";
    }
}
