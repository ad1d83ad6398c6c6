package io.qualgranter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

/**
 * The early warm-up runs before logging is set up and before the command line is read, so whatever it
 * printed would reach the operator's terminal in the middle of a run.
 */
class EarlyWarmUpTest {

    @Test
    void warmsUpWithoutPrintingAnything() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(printed, true)) {
            System.setOut(capture);
            System.setErr(capture);
            EarlyWarmUp.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(printed.toString()).isEmpty();
    }
}
