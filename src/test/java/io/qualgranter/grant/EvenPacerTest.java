package io.qualgranter.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Send times on a hand-driven clock (the pacer's sleeps advance it): evenly spaced, no saved-up burst. */
class EvenPacerTest {

    final AtomicLong clock = new AtomicLong(5_000_000_000L);
    final EvenPacer pacer = new EvenPacer(100, clock::get, clock::addAndGet); // one send per 10 ms

    /** When each of {@code n} callers, all waiting, gets its turn. */
    List<Long> sendTimes(int n) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pacer.acquire();
            times.add(clock.get());
        }
        return times;
    }

    static List<Long> gaps(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        return gaps;
    }

    @Test
    void callersWaitingTogetherGoOutEvenlySpaced() {
        List<Long> times = sendTimes(50);

        assertThat(gaps(times)).containsOnly(Duration.ofMillis(10).toNanos());
    }

    @Test
    void anIdlePauseIsNotSpentAsABurst() {
        sendTimes(5);
        clock.addAndGet(Duration.ofSeconds(10).toNanos()); // a chunk commits, nobody sends

        List<Long> times = sendTimes(30);

        long within100ms = times.stream().filter(t -> t - times.get(0) < Duration.ofMillis(100).toNanos()).count();
        assertThat(within100ms).as("a second's worth saved up would be 100 at once; one interval of credit is 11")
                .isLessThanOrEqualTo(11);
        assertThat(gaps(times).subList(2, 29)).containsOnly(Duration.ofMillis(10).toNanos());
    }

    @Test
    void aLateCallerMakesUpAtMostOneInterval() {
        sendTimes(3);
        clock.addAndGet(Duration.ofMillis(25).toNanos()); // the next caller comes 15 ms after its turn

        List<Long> times = sendTimes(3);

        assertThat(gaps(times)).as("caught up by one interval at most, then the rate again")
                .containsExactly(0L, Duration.ofMillis(10).toNanos());
    }

    @Test
    void aNewRateAppliesFromTheNextSend() {
        sendTimes(3);
        pacer.setRate(10);

        List<Long> times = sendTimes(4);

        assertThat(gaps(times)).containsOnly(Duration.ofMillis(100).toNanos());
        assertThat(pacer.rate()).isEqualTo(10);
    }
}
