package io.qualgranter.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The gate before each send: callers that wake together after a stop leave at the rate, not at once. */
class SendGateTest {

    static final long MS = Duration.ofMillis(1).toNanos();
    static final long INTERVAL = 5 * MS; // 200/s
    static final long CREDIT = EvenPacer.credit(INTERVAL); // 25 ms: 5 intervals

    final SendGate gate = new SendGate();

    @Test
    void sendsOnTheirScheduleLeaveWhenTheyAsk() {
        for (long t = 0; t < 100 * MS; t += INTERVAL) {
            assertThat(gate.sendAt(t, INTERVAL, CREDIT)).isEqualTo(t);
        }
    }

    @Test
    void callersWokenTogetherAfterAStopLeaveACreditsWorthAtOnceThenAtTheRate() {
        for (long t = 0; t < 50 * MS; t += INTERVAL) {
            gate.sendAt(t, INTERVAL, CREDIT);
        }
        long woke = 150 * MS; // a 100 ms collection: the 20 callers due in it all wake now
        List<Long> leave = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            leave.add(gate.sendAt(woke, INTERVAL, CREDIT) - woke);
        }

        assertThat(leave.subList(0, 6)).as("the credit's worth, as the pacer lets a late caller catch up").containsOnly(0L);
        for (int i = 6; i < 20; i++) {
            assertThat(leave.get(i)).as("send %d", i).isEqualTo((i - 5) * INTERVAL);
        }
        long inAnyBucketSpan = leave.stream().filter(t -> t < 50 * MS).count();
        assertThat(inAnyBucketSpan).as("sends within 50 ms of waking: a bucket of 10 refills 10 in that time")
                .isLessThanOrEqualTo(6 + 10);
    }

    @Test
    void anIdleGapSavesNothingUp() {
        gate.sendAt(0, INTERVAL, CREDIT);
        long later = 10_000 * MS;
        List<Long> leave = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            leave.add(gate.sendAt(later, INTERVAL, CREDIT) - later);
        }
        assertThat(leave).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 5 * MS, 10 * MS);
    }
}
