package io.qualgranter.job;

import java.nio.file.Path;
import java.time.Duration;

import io.qualgranter.grant.MTurkClientFactory.RetrySettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code granter.*} (application.yml, config/ profiles, environment).
 *
 * @param home          where the H2 job repository, scratch files and the logs live ($GRANTER_HOME)
 * @param chunkSize     most rows that need a call per chunk: one transaction and one checkpoint each
 * @param maxChunkRows  most rows per chunk in all (rows that need no call pass in larger chunks)
 * @param failureLimit  calls in a row that may end FAILED before the run stops as "service unavailable"
 * @param retry         the SDK retry strategy's settings
 */
@ConfigurationProperties("granter")
public record GranterProperties(Path home, int chunkSize, @DefaultValue("10000") int maxChunkRows, int failureLimit,
                                RetrySettings retry) {

    public Path runsDirectory() {
        return home.resolve("runs");
    }

    public static RetrySettings defaultRetry() {
        return new RetrySettings(6, Duration.ofMillis(200), Duration.ofSeconds(20), Duration.ofMinutes(3));
    }
}
