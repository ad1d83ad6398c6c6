package io.qualgranter.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LongLongMapTest {

    private static final long MISSING = -1;

    @Test
    void anAbsentKeyAnswersTheMissingValue() {
        LongLongMap map = new LongLongMap(MISSING);

        assertThat(map.get(42)).isEqualTo(MISSING);
        assertThat(map.get(0)).isEqualTo(MISSING);
        assertThat(map.size()).isZero();
    }

    @Test
    void keyZeroIsAKeyLikeAnyOther() {
        LongLongMap map = new LongLongMap(MISSING);
        map.put(0, 7);
        map.put(0, 8);

        assertThat(map.get(0)).isEqualTo(8);
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void putReplacesTheValueOfAKeyAlreadyThere() {
        LongLongMap map = new LongLongMap(MISSING);
        map.put(5, 1);
        map.put(5, 2);

        assertThat(map.get(5)).isEqualTo(2);
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void putIfAbsentKeepsTheValueOfAKeyAlreadyThere() {
        LongLongMap map = new LongLongMap(MISSING);

        assertThat(map.putIfAbsent(5, 1)).isEqualTo(MISSING);
        assertThat(map.putIfAbsent(5, 2)).isEqualTo(1);
        assertThat(map.putIfAbsent(0, 3)).isEqualTo(MISSING);
        assertThat(map.putIfAbsent(0, 4)).isEqualTo(3);

        assertThat(map.get(5)).isEqualTo(1);
        assertThat(map.get(0)).isEqualTo(3);
        assertThat(map.size()).isEqualTo(2);
    }

    /** Against java.util.HashMap (put and putIfAbsent), through many doublings, with keys drawn from a small range (many
     *  repeats and neighbouring slots), from the whole range, and keys that differ only in high bits. */
    @Test
    void agreesWithHashMapThroughGrowth() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            LongLongMap map = new LongLongMap(MISSING);
            Map<Long, Long> expected = new HashMap<>();
            for (int i = 0; i < 20_000; i++) {
                long key = switch (random.nextInt(3)) {
                    case 0 -> random.nextInt(5_000) - 100;
                    case 1 -> random.nextLong();
                    default -> (long) random.nextInt(64) << 40;
                };
                long value = random.nextLong() & Long.MAX_VALUE;
                if (random.nextBoolean()) {
                    map.put(key, value);
                    expected.put(key, value);
                } else {
                    Long before = expected.putIfAbsent(key, value);
                    assertThat(map.putIfAbsent(key, value)).as("seed %d, putIfAbsent(%d)", seed, key)
                            .isEqualTo(before == null ? MISSING : before);
                }
                long probe = random.nextInt(6_000) - 500;
                assertThat(map.get(probe)).as("seed %d, get(%d)", seed, probe)
                        .isEqualTo(expected.getOrDefault(probe, MISSING));
            }
            assertThat(map.size()).as("seed %d", seed).isEqualTo(expected.size());
            for (Map.Entry<Long, Long> entry : expected.entrySet()) {
                assertThat(map.get(entry.getKey())).as("seed %d", seed).isEqualTo(entry.getValue());
            }
        }
    }
}
