package io.qualgranter.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.qualgranter.row.Outcome;
import io.qualgranter.row.RowOutcome;
import io.qualgranter.validation.ValidateInputTasklet;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.test.MetaDataInstanceFactory;

/** The listener's own rules: what counts as done, the bar a terminal gets, what a rolled-back chunk leaves. */
class ProgressListenerTest {

    final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

    @Test
    void terminalGetsABarWithTheCountsAndOnlyCommittedChunksCount() throws Exception {
        ProgressListener listener = new ProgressListener(Duration.ofHours(1), ProgressListener.Display.BAR,
                new PrintStream(terminal, true, StandardCharsets.UTF_8));
        StepExecution step = stepWithTotal(4);

        listener.beforeStep(step);
        count(listener, row(2, Outcome.GRANTED), row(3, Outcome.DUPLICATE));
        listener.afterChunk(new Chunk<>());
        count(listener, row(4, Outcome.GRANTED));
        listener.onChunkError(new IllegalStateException("rolled back"), new Chunk<>());
        ProgressSnapshot afterRollback = listener.snapshot();
        count(listener, row(4, Outcome.GRANTED), row(5, Outcome.INVALID));
        listener.afterChunk(new Chunk<>());
        ProgressSnapshot end = listener.snapshot();
        listener.afterStep(step);

        assertThat(afterRollback.done()).as("a rolled-back chunk does not count").isEqualTo(2);
        assertThat(end.done()).isEqualTo(4);
        assertThat(end.total()).isEqualTo(4);
        assertThat(end.counts()).containsEntry(Outcome.GRANTED, 2L).containsEntry(Outcome.DUPLICATE, 1L)
                .containsEntry(Outcome.INVALID, 1L).hasSize(3);
        assertThat(end.eta()).isEqualTo(Duration.ZERO);
        String shown = terminal.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("Granting").contains("100%").contains("4/4")
                .contains("GRANTED=2").contains("DUPLICATE=1").contains("INVALID=1");
    }

    @Test
    void linesModePrintsOneLinePerIntervalAndTheEtaFollowsTheRate() throws Exception {
        ProgressListener listener = new ProgressListener(Duration.ofHours(1), ProgressListener.Display.LINES,
                new PrintStream(terminal, true, StandardCharsets.UTF_8));
        listener.beforeStep(stepWithTotal(1000));
        count(listener, row(2, Outcome.GRANTED), row(3, Outcome.GRANTED));
        listener.afterChunk(new Chunk<>());
        Thread.sleep(200);

        listener.tick();
        listener.afterStep(stepWithTotal(1000));

        String line = terminal.toString(StandardCharsets.UTF_8).strip();
        assertThat(line).startsWith("granter: rows 2/1000 (0.2%) GRANTED=2; ").contains(" rows/s; ETA ");
        assertThat(line.lines()).hasSize(1);
    }

    @Test
    void etaIsTheRowsLeftAtTheRecentRate() {
        ProgressSnapshot snapshot = new ProgressSnapshot(400, 1000, java.util.Map.of(Outcome.GRANTED, 400L), 5.0,
                Duration.ofSeconds(80));
        assertThat(snapshot.eta()).isEqualTo(Duration.ofSeconds(120));
        assertThat(snapshot.line()).isEqualTo("rows 400/1000 (40.0%) GRANTED=400; 5.0 rows/s; ETA 2m00s; elapsed 1m20s");
        assertThat(new ProgressSnapshot(0, 0, java.util.Map.of(), 0, Duration.ZERO).line())
                .isEqualTo("rows 0/? (0.0%); 0.0 rows/s; ETA unknown; elapsed 0s");
    }

    /** What a writer does with the outcomes it records. */
    private static void count(ProgressListener listener, RowOutcome... rows) {
        for (RowOutcome row : rows) {
            listener.count(row.outcome());
        }
    }

    private static StepExecution stepWithTotal(long total) {
        StepExecution step = MetaDataInstanceFactory.createStepExecution();
        step.getJobExecution().getExecutionContext().putLong(ValidateInputTasklet.ROWS_TOTAL, total);
        return step;
    }

    private static RowOutcome row(long line, Outcome outcome) {
        return new RowOutcome(line, "A1WORKER" + line, "3TYPE", "1", outcome, "");
    }
}
