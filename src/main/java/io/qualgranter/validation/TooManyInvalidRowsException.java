package io.qualgranter.validation;

/** The file has more invalid rows than {@code --max-invalid} allows: nothing is sent (exit 2). */
public class TooManyInvalidRowsException extends RuntimeException {

    public TooManyInvalidRowsException(String message) {
        super(message);
    }
}
