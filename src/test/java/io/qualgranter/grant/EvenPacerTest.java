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

        assertThat(times.subList(0, EvenPacer.OPENING)).as("the opening").containsOnly(times.get(0));
        assertThat(gaps(times.subList(EvenPacer.OPENING - 1, 50))).containsOnly(Duration.ofMillis(10).toNanos());
    }

    @Test
    void theFirstFourSendsGoAtOnceAndNoSecondEverHoldsMoreThanTheRate() {
        EvenPacer slow = new EvenPacer(5, clock::get, clock::addAndGet); // the default --rate 5
        long start = clock.get();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            slow.acquire();
            times.add(clock.get() - start);
        }

        long ms = Duration.ofMillis(1).toNanos();
        assertThat(times).containsExactly(0L, 0L, 0L, 0L, 200 * ms, 1000 * ms, 1200 * ms, 1400 * ms, 1600 * ms,
                1800 * ms, 2000 * ms, 2200 * ms);
        for (long from : times) {
            assertThat(times.stream().filter(t -> t >= from && t < from + 1000 * ms).count())
                    .as("sends in the second from %d ms", from / ms).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void theOpeningSpreadOverItsSecondStillKeepsEverySecondWithinTheRate() {
        EvenPacer slow = new EvenPacer(5, clock::get, clock::addAndGet);
        long start = clock.get();
        List<Long> times = new ArrayList<>();
        long ms = Duration.ofMillis(1).toNanos();
        for (long gap : new long[] {0, 300, 300, 300}) { // a slow start: the opening's sends come 300 ms apart
            clock.addAndGet(gap * ms);
            slow.acquire();
            times.add(clock.get() - start);
        }
        for (int i = 0; i < 8; i++) {
            slow.acquire();
            times.add(clock.get() - start);
        }

        for (long from : times) {
            assertThat(times.stream().filter(t -> t >= from && t < from + 1000 * ms).count())
                    .as("sends in the second from %d ms (%s)", from / ms, times).isLessThanOrEqualTo(5);
        }
        assertThat(gaps(times.subList(6, 12))).as("evenly spaced again afterwards").containsOnly(200 * ms);
    }

    @Test
    void aCutEndsTheOpening() {
        EvenPacer slow = new EvenPacer(5, clock::get, clock::addAndGet);
        slow.acquire();
        long first = clock.get();
        slow.setRate(1); // e.g. the preflight's first answer was a 503

        slow.acquire();

        assertThat(clock.get() - first).as("the next send at the new rate, not at once").isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void anyRateCanBePacedWithoutHoldingASecondOfSendTimes() {
        EvenPacer fast = new EvenPacer(1e9, clock::get, clock::addAndGet); // --rate is any positive number
        for (int i = 0; i < 10; i++) {
            fast.acquire();
        }

        assertThat(fast.rate()).isEqualTo(1e9);
    }

    @Test
    void aRateUnderFourOpensWithNoMoreThanItsWholeNumber() {
        EvenPacer one = new EvenPacer(1, clock::get, clock::addAndGet);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            one.acquire();
            times.add(clock.get());
        }

        assertThat(gaps(times)).containsOnly(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void anIdlePauseIsNotSpentAsABurst() {
        sendTimes(5);
        clock.addAndGet(Duration.ofSeconds(10).toNanos()); // a chunk commits, nobody sends

        List<Long> times = sendTimes(30);

        long atOnce = times.stream().filter(t -> t.equals(times.get(0))).count();
        assertThat(atOnce).as("a second's worth saved up would be 100 at once; 25 ms of credit is 3").isEqualTo(3);
        assertThat(gaps(times).subList(3, 29)).containsOnly(Duration.ofMillis(10).toNanos());
    }

    @Test
    void lateCallersCatchUpWithTheScheduleButNeverGetAhead() {
        sendTimes(EvenPacer.OPENING);
        List<Long> first = sendTimes(3);
        clock.addAndGet(Duration.ofMillis(25).toNanos()); // the next callers come 15 ms after their turn

        List<Long> times = sendTimes(3);

        long turn = first.get(2) + Duration.ofMillis(10).toNanos();
        assertThat(times).as("two at once, then on the schedule again")
                .containsExactly(turn + Duration.ofMillis(15).toNanos(), turn + Duration.ofMillis(15).toNanos(),
                        turn + Duration.ofMillis(20).toNanos());
    }

    @Test
    void aNewRateAppliesFromTheNextSend() {
        sendTimes(EvenPacer.OPENING + 3);
        pacer.setRate(10);

        List<Long> times = sendTimes(4);

        assertThat(gaps(times)).containsOnly(Duration.ofMillis(100).toNanos());
        assertThat(pacer.rate()).isEqualTo(10);
    }
}
