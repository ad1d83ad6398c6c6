package io.qualgranter.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.qualgranter.row.Outcome;
import io.qualgranter.validation.ValidateInputTasklet;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Shows where the grant step is: rows whose outcome is committed out of {@code rows.total}, counts
 * per outcome, the recent rate and the ETA. On a terminal a live bar on stderr; otherwise a line
 * on stderr every {@code granter.progress-interval} (cron logs); with {@code --log-format json} a
 * JSON log event instead. Every interval also goes to the log file.
 *
 * <p>Outcomes are counted as the writers record them ({@link #count}) and become progress when
 * their chunk commits, so the figures are what a resume would keep.
 */
public class ProgressListener implements StepExecutionListener, ChunkListener<Object, Object> {

    /** How progress is shown besides the log file. */
    public enum Display { BAR, LINES, LOG_ONLY }

    private static final Duration RATE_WINDOW = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(ProgressListener.class);

    private final Duration interval;
    private final Display display;
    private final PrintStream terminal;

    private final EnumMap<Outcome, Long> committed = new EnumMap<>(Outcome.class); // guarded by this
    private static final Outcome[] OUTCOMES = Outcome.values();
    /** The current chunk's counts by outcome ordinal (no boxed count per row: the plan step counts a million). */
    private final long[] pending = new long[OUTCOMES.length];                     // step thread only
    private long total;
    private long jobExecutionId = -1;
    private long startNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanoTime, done}, the rate window; guarded by this
    private ScheduledExecutorService ticker;
    private ProgressBar bar;

    public ProgressListener(Duration interval, Display display, PrintStream terminal) {
        this.interval = interval;
        this.display = display;
        this.terminal = terminal;
    }

    /** BAR on a terminal, LOG_ONLY when the console already carries JSON log lines, else LINES. */
    public static Display displayFor(boolean jsonLogs, boolean terminal) {
        return jsonLogs ? Display.LOG_ONLY : terminal ? Display.BAR : Display.LINES;
    }

    /** Counts a row's outcome; it becomes progress when its chunk commits. */
    public void count(Outcome outcome) {
        pending[outcome.ordinal()]++;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        total = stepExecution.getJobExecution().getExecutionContext().getLong(ValidateInputTasklet.ROWS_TOTAL, 0L);
        synchronized (this) {
            if (jobExecutionId != stepExecution.getJobExecutionId()) { // the plan step and the grant step add up
                jobExecutionId = stepExecution.getJobExecutionId();
                committed.clear();
                startNanos = System.nanoTime();
                samples.clear();
                samples.add(new long[] {startNanos, 0});
            }
        }
        Arrays.fill(pending, 0);
        if (display == Display.BAR) {
            bar = new ProgressBarBuilder().setTaskName("Granting").setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
            synchronized (this) {
                bar.stepTo(done());
            }
        }
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "granter-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(interval.toMillis(), 1);
        ticker.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void afterChunk(Chunk<Object> chunk) {
        long done;
        String counts;
        synchronized (this) {
            for (int i = 0; i < pending.length; i++) {
                if (pending[i] > 0) {
                    committed.merge(OUTCOMES[i], pending[i], Long::sum);
                }
            }
            done = done();
            counts = countsText();
        }
        Arrays.fill(pending, 0);
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + counts);
        }
    }

    @Override
    public void onChunkError(Exception exception, Chunk<Object> chunk) {
        Arrays.fill(pending, 0);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        ticker.shutdownNow();
        if (bar != null) {
            bar.close();
            bar = null;
        }
        return null;
    }

    /** One interval: a line on stderr (LINES) and a log event (always). */
    void tick() {
        ProgressSnapshot snapshot = snapshot();
        if (display == Display.LINES) {
            terminal.println("granter: " + snapshot.line());
            terminal.flush();
        }
        LoggingEventBuilder event = log.atInfo()
                .addKeyValue("granter.rows.done", snapshot.done())
                .addKeyValue("granter.rows.total", snapshot.total())
                .addKeyValue("granter.rate", Math.round(snapshot.rate() * 10) / 10.0);
        if (snapshot.eta() != null) {
            event = event.addKeyValue("granter.eta_seconds", snapshot.eta().toSeconds());
        }
        for (Map.Entry<Outcome, Long> count : snapshot.counts().entrySet()) {
            event = event.addKeyValue("granter.count." + count.getKey(), count.getValue());
        }
        event.log("progress: " + snapshot.line());
    }

    /** Where the step is now; the rate is over the last minute (chunks commit in steps, so shorter would jump). */
    synchronized ProgressSnapshot snapshot() {
        long now = System.nanoTime();
        long done = done();
        samples.add(new long[] {now, done});
        while (samples.size() > 2 && now - secondOldest()[0] >= RATE_WINDOW.toNanos()) {
            samples.removeFirst();
        }
        long[] oldest = samples.getFirst();
        double seconds = (now - oldest[0]) / 1e9;
        double rate = seconds > 0 ? (done - oldest[1]) / seconds : 0;
        return new ProgressSnapshot(done, total, Map.copyOf(committed), rate, Duration.ofNanos(now - startNanos));
    }

    private long[] secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }

    private long done() {
        return committed.values().stream().mapToLong(Long::longValue).sum();
    }

    private String countsText() {
        StringBuilder text = new StringBuilder();
        committed.forEach((outcome, n) -> text.append(text.isEmpty() ? "" : " ").append(outcome).append('=').append(n));
        return text.toString();
    }
}
