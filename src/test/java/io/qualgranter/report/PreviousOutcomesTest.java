package io.qualgranter.report;

import io.qualgranter.row.Outcome;

import io.qualgranter.row.RowOutcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviousOutcomesTest {

    @TempDir
    Path dir;

    @Test
    void readsOnlyWhatWasCommittedAndAnswersByLineInOrder() throws IOException {
        String committed = OutcomeCsv.toLine(new RowOutcome(2, "A1W1", "3T", "5", Outcome.GRANTED, "")) + "\n"
                + OutcomeCsv.toLine(new RowOutcome(3, "A1W1", "3T", "7", Outcome.DUPLICATE, "conflicting value 7, first")) + "\n"
                + OutcomeCsv.toLine(new RowOutcome(5, "A1W2", "3T", "1", Outcome.FAILED, "gave up")) + "\n";
        String uncommitted = OutcomeCsv.toLine(new RowOutcome(6, "A1W3", "3T", "1", Outcome.GRANTED, "")) + "\n";
        Path journal = Files.writeString(dir.resolve("journal.csv"), committed + uncommitted);

        try (PreviousOutcomes previous = PreviousOutcomes.open(
                new PreviousOutcomes.Source(journal, committed.getBytes(StandardCharsets.UTF_8).length))) {
            assertThat(previous.at(2).outcome()).isEqualTo(Outcome.GRANTED);
            assertThat(previous.at(3).detail()).isEqualTo("conflicting value 7, first");
            assertThat(previous.at(4)).isNull();
            assertThat(previous.at(5).outcome()).isEqualTo(Outcome.FAILED);
            assertThat(previous.at(6)).as("written after the last commit").isNull();
        }
    }

    @Test
    void oneLineWithSeveralTypesIsAnsweredByLineAndType() throws IOException {
        String journalText = OutcomeCsv.toLine(new RowOutcome(2, "A1W1", "3A", "5", Outcome.GRANTED, "")) + "\n"
                + OutcomeCsv.toLine(new RowOutcome(2, "A1W1", "3B", "Revoke", Outcome.INVALID, "only grants")) + "\n"
                + OutcomeCsv.toLine(new RowOutcome(2, "A1W1", "3C", "7", Outcome.FAILED, "gave up")) + "\n"
                + OutcomeCsv.toLine(new RowOutcome(4, "A1W2", "3A", "1", Outcome.GRANTED, "")) + "\n";
        Path journal = Files.writeString(dir.resolve("website.csv"), journalText);

        try (PreviousOutcomes previous = PreviousOutcomes.open(
                new PreviousOutcomes.Source(journal, journalText.getBytes(StandardCharsets.UTF_8).length))) {
            assertThat(previous.at(2, "3A").outcome()).isEqualTo(Outcome.GRANTED);
            assertThat(previous.at(2, "3C").outcome()).as("skips the INVALID cell between").isEqualTo(Outcome.FAILED);
            assertThat(previous.at(3, "3A")).isNull();
            assertThat(previous.at(4, "3B")).isNull();
            assertThat(previous.at(4, "3A").outcome()).as("a miss on the last record does not lose it").isEqualTo(Outcome.GRANTED);
        }
    }

    @Test
    void noJournalMeansNoPreviousOutcomes() {
        try (PreviousOutcomes previous = PreviousOutcomes.open(new PreviousOutcomes.Source(dir.resolve("absent.csv"), 100))) {
            assertThat(previous.at(2)).isNull();
        }
        assertThat(PreviousOutcomes.open(null).at(2)).isNull();
    }
}
