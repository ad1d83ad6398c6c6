package io.qualgranter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeededTriesTest {

    private final Properties saved = new Properties();

    /** These tests set the properties themselves: those given on the command line are put back after. */
    @BeforeEach
    void clearProperties() {
        for (String name : List.of(SeededTries.SEED_PROPERTY, SeededTries.FACTOR_PROPERTY)) {
            String value = System.clearProperty(name);
            if (value != null) {
                saved.setProperty(name, value);
            }
        }
    }

    @AfterEach
    void restoreProperties() {
        System.clearProperty(SeededTries.SEED_PROPERTY);
        System.clearProperty(SeededTries.FACTOR_PROPERTY);
        saved.forEach((name, value) -> System.setProperty((String) name, (String) value));
    }

    @Test
    void runsTheBodyTheNumberOfTimesAskedWithDifferentSeeds() {
        List<Long> seeds = new ArrayList<>();

        SeededTries.run(50, random -> seeds.add(random.seed()));

        assertThat(seeds).hasSize(50).doesNotHaveDuplicates();
    }

    @Test
    void aFailingTryNamesItsSeedAndTheSeedReplaysTheSameInput() {
        List<String> inputs = new ArrayList<>();
        Throwable failure = catchThrowable(() -> SeededTries.run(1000, random -> {
            String input = random.string(8, "ab");
            inputs.add(input);
            assertThat(input).doesNotContain("bb");
        }));

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("-Dtest=SeededTriesTest#aFailingTryNamesItsSeedAndTheSeedReplaysTheSameInput")
                .hasMessageContaining("bb");
        String seed = failure.getMessage().replaceAll("(?s).*-Dtries\\.seed=(-?\\d+).*", "$1");
        String failingInput = inputs.get(inputs.size() - 1);

        System.setProperty(SeededTries.SEED_PROPERTY, seed);
        List<String> replayed = new ArrayList<>();
        assertThatThrownBy(() -> SeededTries.run(1000, random -> {
            String input = random.string(8, "ab");
            replayed.add(input);
            assertThat(input).doesNotContain("bb");
        })).hasMessageContaining("try 1 of 1 failed with seed " + seed);
        assertThat(replayed).containsExactly(failingInput);
    }

    @Test
    void theFactorPropertyScalesTheNumberOfTries() {
        System.setProperty(SeededTries.FACTOR_PROPERTY, "3");
        int[] count = {0};

        SeededTries.run(7, random -> count[0]++);

        assertThat(count[0]).isEqualTo(21);
    }

    @Test
    void sizesReachBothEndsOfTheirRange() {
        SeededRandom random = new SeededRandom(1);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sizes.add(random.size(2, 40));
        }
        assertThat(sizes).contains(2, 40).allMatch(size -> size >= 2 && size <= 40);
    }
}
