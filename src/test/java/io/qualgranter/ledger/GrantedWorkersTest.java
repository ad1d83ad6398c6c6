package io.qualgranter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;

import io.qualgranter.ledger.GrantLedger.Entry;
import org.junit.jupiter.api.Test;

/**
 * The ledger's granted pairs in memory answer exactly: a worker is found only by its own id, with its
 * own value and origin, whatever the hashes do; a budget too small refuses pairs instead of growing.
 */
class GrantedWorkersTest {

    static final LocalDateTime MONDAY = LocalDateTime.of(2026, 11, 23, 9, 30, 1);
    static final LocalDateTime TUESDAY = LocalDateTime.of(2026, 11, 24, 9, 30, 2);

    @Test
    void findsEachWorkerWithItsOwnValueAndOrigin() {
        GrantedWorkers granted = new GrantedWorkers(new GrantedWorkers.Budget(1 << 20));
        for (int i = 0; i < 5000; i++) { // several doublings of every array
            assertThat(granted.add("A1WORKER" + i, i % 101, i % 2 == 0 ? 7L : 8L, i % 2 == 0 ? MONDAY : TUESDAY)).isTrue();
        }

        assertThat(granted.size()).isEqualTo(5000);
        assertThat(granted.find("A1WORKER0")).isEqualTo(new Entry(0, 7L, MONDAY, null));
        assertThat(granted.find("A1WORKER4999")).isEqualTo(new Entry(4999 % 101, 8L, TUESDAY, null));
        assertThat(granted.find("A1WORKER5000")).isNull();
        assertThat(granted.find("A1WORKER")).isNull();
        assertThat(granted.find("A1WORKER49999")).isNull();
        assertThat(granted.find("a1worker1")).as("ids are exact, case included").isNull();
    }

    @Test
    void workersWhoseHashesCollideAreStillTellApart() {
        GrantedWorkers granted = new GrantedWorkers(new GrantedWorkers.Budget(1 << 20), worker -> 42);
        granted.add("A1SAME", 10, 1L, MONDAY);
        granted.add("A1SAMEX", 20, 2L, MONDAY);
        granted.add("A1SAM", 30, 3L, TUESDAY);
        granted.add("A1ÉTÉ", 40, 4L, TUESDAY); // not ASCII: compared as UTF-8 bytes

        assertThat(granted.find("A1SAME")).isEqualTo(new Entry(10, 1L, MONDAY, null));
        assertThat(granted.find("A1SAMEX")).isEqualTo(new Entry(20, 2L, MONDAY, null));
        assertThat(granted.find("A1SAM")).isEqualTo(new Entry(30, 3L, TUESDAY, null));
        assertThat(granted.find("A1ÉTÉ")).isEqualTo(new Entry(40, 4L, TUESDAY, null));
        assertThat(granted.find("A1ETE")).isNull();
        assertThat(granted.find("A1SAMEY")).isNull();
        assertThat(granted.find("A1SA")).isNull();
    }

    @Test
    void aBudgetTooSmallRefusesPairsForEveryStructureSharingIt() {
        GrantedWorkers.Budget budget = new GrantedWorkers.Budget(GrantedWorkers.bytesFor(1024, 16 * 1024) + 2 * 160);
        GrantedWorkers first = new GrantedWorkers(budget);
        GrantedWorkers second = new GrantedWorkers(budget);
        int added = 0;
        while (added < 100_000 && first.add("A1FIRST" + added, 1, 1L, MONDAY)) {
            added++;
        }
        assertThat(added).as("stops at the budget, not at 100,000").isBetween(1, 2048);
        assertThat(second.add("A1SECOND", 1, 1L, MONDAY)).as("the budget is shared").isFalse();
        assertThat(first.find("A1FIRST0")).isEqualTo(new Entry(1, 1L, MONDAY, null));
    }

    @Test
    void manyDistinctOriginsCountAgainstTheBudget() {
        GrantedWorkers granted = new GrantedWorkers(new GrantedWorkers.Budget(GrantedWorkers.bytesFor(1024, 16 * 1024) + 10 * 160));
        int added = 0;
        while (added < 1000 && granted.add("A1ORIGIN" + added, 1, (long) added, MONDAY)) {
            added++;
        }
        assertThat(added).isEqualTo(10);
    }
}
