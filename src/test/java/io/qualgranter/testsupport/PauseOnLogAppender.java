package io.qualgranter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * A Logback appender for child JVMs that a test wants to catch at an exact point: when a log
 * message contains the system property {@code pause.on}, it creates the file named by
 * {@code pause.marker} and holds the logging thread (at most a minute), so that the test can kill
 * the process right there. Configured by {@code logback-pause.xml} ({@code -Dlogging.config=...}).
 */
public class PauseOnLogAppender extends AppenderBase<ILoggingEvent> {

    @Override
    protected void append(ILoggingEvent event) {
        String text = System.getProperty("pause.on");
        String marker = System.getProperty("pause.marker");
        if (text == null || marker == null || !event.getFormattedMessage().contains(text)) {
            return;
        }
        try {
            Files.writeString(Path.of(marker), event.getFormattedMessage());
            Thread.sleep(60_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
