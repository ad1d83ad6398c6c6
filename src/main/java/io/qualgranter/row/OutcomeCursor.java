package io.qualgranter.row;


/** Outcomes read forward in input order. */
public interface OutcomeCursor extends AutoCloseable {

    /** The next outcome, or null at the end. */
    RowOutcome next();

    @Override
    void close();

    OutcomeCursor EMPTY = new OutcomeCursor() {
        @Override
        public RowOutcome next() {
            return null;
        }

        @Override
        public void close() {
        }
    };
}
