package io.qualgranter.preflight;

import java.net.URI;

import io.qualgranter.grant.MTurkEndpoints;

/** Names an MTurk endpoint for messages: the sandbox, production, or another URL, and the one it is easily confused with. */
public record Target(URI endpoint) {

    public boolean isSandbox() {
        return MTurkEndpoints.SANDBOX.equals(endpoint);
    }

    public boolean isProduction() {
        return MTurkEndpoints.PRODUCTION.equals(endpoint);
    }

    /** "the sandbox", "production", or "the endpoint URL". */
    public String describe() {
        return isSandbox() ? "the sandbox" : isProduction() ? "production" : "the endpoint " + endpoint;
    }

    /** What to suggest when ids look like they belong to the other environment. */
    public String otherEnvironmentHint() {
        if (isSandbox()) {
            return "sandbox and production have different ids: if they are production ids, run with --production";
        }
        if (isProduction()) {
            return "sandbox and production have different ids: if they are sandbox ids, run with --sandbox";
        }
        return "sandbox and production have different ids: check that they belong to this endpoint";
    }
}
