package io.qualgranter.validation;

import io.qualgranter.row.GrantRequest;

/**
 * What validation made of a row: a request to send, or the reason it cannot be sent.
 * {@code note} says what was fixed on the way (trimmed whitespace), or is null.
 */
public record Validated(GrantRequest request, String invalidReason, String note) {

    static Validated valid(GrantRequest request, String note) {
        return new Validated(request, null, note);
    }

    static Validated invalid(String reason) {
        return new Validated(null, reason, null);
    }

    public boolean isValid() {
        return request != null;
    }
}
