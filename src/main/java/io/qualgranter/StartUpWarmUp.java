package io.qualgranter;

import java.net.URI;

import io.qualgranter.grant.SdkWarmUp;
import io.qualgranter.job.RepositoryPreOpen;
import io.qualgranter.preflight.EarlyPreflight;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Start-up (README, "Start-up time"): while the main thread creates the Spring context, one background
 * thread does what the way to the first API call would otherwise wait for, in the order it is needed:
 * <ol>
 *   <li>opens an embedded H2 job repository ({@link RepositoryPreOpen}); the held connection is let go
 *   once the context is up (or has failed);</li>
 *   <li>when {@value #WARM_UP_SDK} is true (a grant that is not a dry run), loads the SDK's request path
 *   ({@link SdkWarmUp}).</li>
 * </ol>
 * A single grant instead makes its preflight's reads on a thread of their own ({@link EarlyPreflight}): the
 * endpoint comes from the command line ({@value #EARLY_PREFLIGHT}), and the credentials from the SDK's chain.
 * It starts once the configuration is read and logging is set up, so that the SDK's early log calls
 * never reach the terminal. What needs neither is done earlier still, by {@link EarlyWarmUp}.
 */
public final class StartUpWarmUp implements ApplicationListener<SpringApplicationEvent>, Ordered {

    /** Set by the grant command unless it is a dry run: load the SDK's request path. */
    public static final String WARM_UP_SDK = "granter.warm-up-sdk";
    /** Set by the grant command for a single grant that is not a dry run: the endpoint of its early preflight reads. */
    public static final String EARLY_PREFLIGHT = "granter.early-preflight";

    private final RepositoryPreOpen repository = new RepositoryPreOpen();

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            start(prepared.getEnvironment());
        } else if (event instanceof ApplicationStartedEvent || event instanceof ApplicationFailedEvent) {
            repository.close();
        }
    }

    private void start(Environment environment) {
        String url = environment.getProperty("spring.datasource.url");
        boolean openRepository = RepositoryPreOpen.appliesTo(url);
        String earlyPreflight = environment.getProperty(EARLY_PREFLIGHT);
        if (earlyPreflight != null && !earlyPreflight.isBlank()) {
            EarlyPreflight.start(URI.create(earlyPreflight)); // its calls load the SDK's request path
        }
        boolean warmUpSdk = earlyPreflight == null && environment.getProperty(WARM_UP_SDK, Boolean.class, false);
        if (!openRepository && !warmUpSdk) {
            return;
        }
        String user = environment.getProperty("spring.datasource.username");
        String password = environment.getProperty("spring.datasource.password");
        Thread thread = new Thread(() -> {
            if (openRepository) {
                repository.open(url, user, password);
            }
            if (warmUpSdk) {
                SdkWarmUp.run();
            }
        }, "granter-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Right after Spring Boot's LoggingApplicationListener (HIGHEST_PRECEDENCE + 20). */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 21;
    }
}
