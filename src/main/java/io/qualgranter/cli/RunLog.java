package io.qualgranter.cli;

import java.util.Map;

import io.qualgranter.job.ExitCodes;
import io.qualgranter.job.GrantOptions;
import io.qualgranter.job.RunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * With {@code --log-format json}: the end-of-run summary as one log event, its fields (those of
 * {@code --summary-json}) as key-value pairs under {@code granter.} (ECS nests them: {@code "granter":{"exit_code":3,...}}).
 */
final class RunLog {

    private static final Logger log = LoggerFactory.getLogger("io.qualgranter.summary");

    private RunLog() {
    }

    static void log(GrantOptions options, RunResult result) {
        Level level = switch (result.exitCode()) {
            case ExitCodes.DONE -> Level.INFO;
            case ExitCodes.DONE_WITH_PROBLEMS, ExitCodes.ALREADY_RUNNING -> Level.WARN;
            default -> Level.ERROR;
        };
        LoggingEventBuilder event = log.atLevel(level);
        for (Map.Entry<String, Object> field : SummaryJson.of(options, result).entrySet()) {
            if (field.getValue() instanceof Map<?, ?> counts) {
                for (Map.Entry<?, ?> count : counts.entrySet()) {
                    event = event.addKeyValue("granter.count." + count.getKey(), count.getValue());
                }
            } else if (field.getValue() != null) {
                event = event.addKeyValue("granter." + field.getKey(), field.getValue());
            }
        }
        event.log("granter: " + result.message());
    }
}
