package io.qualgranter.grant;

/**
 * The service refused the caller itself (credentials, signature, permissions): every other row
 * would fail the same way, so the run stops at once (exit 2).
 */
public class CredentialsRejectedException extends RuntimeException {

    public CredentialsRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
