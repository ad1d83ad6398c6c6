package io.qualgranter.grant;

/** Too many calls in a row failed after their retries: the run stops, to be resumed later (exit 1). */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message) {
        super(message);
    }
}
