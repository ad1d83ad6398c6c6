package io.qualgranter.grant;

import java.net.URI;

import io.qualgranter.job.GranterProperties;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Start-up: when {@code granter.warm-up-sdk} is true (the grant command sets it unless it is a dry
 * run), builds and drops one SDK client on a background thread while the Spring context is created,
 * so that the SDK's classes, endpoint rules and HTTP client are loaded by the time the preflight and
 * the grant step build theirs. Sends nothing; any failure is ignored (the real clients report their own).
 * It starts once logging is set up, so that the SDK's early log calls never reach the terminal.
 */
public final class SdkWarmUp implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    public static final String PROPERTY = "granter.warm-up-sdk";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (event.getEnvironment().getProperty(PROPERTY, Boolean.class, false)) {
            Thread thread = new Thread(SdkWarmUp::warmUp, "granter-sdk-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Right after Spring Boot's LoggingApplicationListener (HIGHEST_PRECEDENCE + 20). */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 21;
    }

    private static void warmUp() {
        try {
            MTurkClientFactory.create(URI.create("http://127.0.0.1:9"), GranterProperties.defaultRetry(), 1).close();
        } catch (Throwable ignored) {
            // the real clients, built later, report any real problem
        }
    }
}
