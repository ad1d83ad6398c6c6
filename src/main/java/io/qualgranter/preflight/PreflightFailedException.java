package io.qualgranter.preflight;

/** The preflight found that the run cannot work (credentials, endpoint, a qualification type): nothing is sent (exit 2). */
public class PreflightFailedException extends RuntimeException {

    public PreflightFailedException(String message) {
        super(message);
    }

    public PreflightFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
