package io.qualgranter.grant;

import java.net.URI;

import io.qualgranter.job.GranterProperties;

/**
 * Start-up: builds (and drops) one SDK client on a background thread while the Spring context starts,
 * so that the SDK's classes, endpoint rules and HTTP client are loaded by the time the grant step
 * builds the real one. Sends nothing; any failure is ignored (the real client reports its own).
 */
public final class SdkWarmUp {

    private SdkWarmUp() {
    }

    public static void start() {
        Thread thread = new Thread(SdkWarmUp::warmUp, "granter-sdk-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void warmUp() {
        try {
            MTurkClientFactory.create(URI.create("http://127.0.0.1:9"), GranterProperties.defaultRetry(), 1).close();
        } catch (Throwable ignored) {
            // the real client, built later, reports any real problem
        }
    }
}
