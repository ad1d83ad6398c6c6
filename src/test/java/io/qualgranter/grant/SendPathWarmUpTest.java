package io.qualgranter.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The send path's warm-up: its made-up grants go the whole way to its own loopback answerer and back. */
class SendPathWarmUpTest {

    @Test
    void everyMadeUpGrantIsAnsweredAsGranted() {
        SendPathWarmUp warmUp = SendPathWarmUp.start();

        assertThat(warmUp.awaitEnd(Duration.ofSeconds(60))).as("ended").isTrue();
        assertThat(warmUp.granted()).isEqualTo(SendPathWarmUp.SENDS);
    }

    @Test
    void closedAtOnceItSendsNothingMore() {
        SendPathWarmUp warmUp = SendPathWarmUp.start();
        warmUp.close();

        assertThat(warmUp.awaitEnd(Duration.ofSeconds(60))).as("ended").isTrue();
        assertThat(warmUp.granted()).isLessThan(SendPathWarmUp.SENDS);
    }
}
