package io.qualgranter.job;

/** This process no longer holds its run's lease (or cannot prove it does): it must send nothing more. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
