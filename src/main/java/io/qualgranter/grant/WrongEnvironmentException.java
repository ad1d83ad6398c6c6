package io.qualgranter.grant;

/**
 * The first grants of a run were all refused because the service does not know the workers: the ids
 * most likely belong to the other environment (sandbox vs production). The run stops (exit 2).
 */
public class WrongEnvironmentException extends RuntimeException {

    public WrongEnvironmentException(String message) {
        super(message);
    }
}
