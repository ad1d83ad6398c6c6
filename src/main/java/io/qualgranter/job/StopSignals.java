package io.qualgranter.job;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a graceful stop request while a run is going, instead of
 * the JVM's immediate shutdown; a second signal ends the process at once (exit 130), which is
 * safe: it is recovered like a kill -9. The previous handlers come back on close. Uses
 * {@code sun.misc.Signal} (module jdk.unsupported), the JDK's only way to catch a signal without
 * starting the JVM's shutdown.
 */
final class StopSignals implements AutoCloseable {

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {
    }

    static StopSignals install(Consumer<String> requestStop) {
        StopSignals installed = new StopSignals();
        boolean[] seen = {false};
        SignalHandler handler = signal -> {
            synchronized (seen) {
                if (seen[0]) {
                    Runtime.getRuntime().halt(130);
                }
                seen[0] = true;
            }
            requestStop.accept("SIG" + signal.getName());
        };
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal signal = new Signal(name);
                installed.previous.add(Signal.handle(signal, handler));
                installed.signals.add(signal);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not on this platform, or the JVM was started with -Xrs: the default behaviour stays
            }
        }
        return installed;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
