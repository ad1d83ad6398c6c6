package io.qualgranter.input;

/** The input file cannot be used at all (missing, unreadable, no usable header...). Nothing is sent. */
public class InputFileException extends RuntimeException {

    public InputFileException(String message) {
        super(message);
    }

    public InputFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
