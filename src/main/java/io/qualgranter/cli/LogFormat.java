package io.qualgranter.cli;

/**
 * {@code --log-format}: TEXT keeps the terminal for the summary and one-line messages (details go
 * to the log file); JSON makes standard output a stream of JSON log events (Spring Boot structured
 * logging, Elastic Common Schema) — progress and the end-of-run summary included — and the log
 * file JSON too.
 */
enum LogFormat {
    TEXT, JSON;

    /** Spring properties that set this format up, as command-line arguments for the context. */
    String[] springArguments() {
        if (this == TEXT) {
            return new String[0];
        }
        return new String[] {
                "--granter.log-format=json",
                "--logging.structured.format.console=ecs",
                "--logging.structured.format.file=ecs",
                "--logging.threshold.console=INFO"};
    }
}
