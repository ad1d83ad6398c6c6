package io.qualgranter.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Random test inputs from one seed, so that a failing case can be made again ({@link SeededTries}).
 * Sizes and integers lean towards their edges (empty, the largest size, 0, ±1, the int limits), where
 * bugs live, as a property-testing library would.
 */
public final class SeededRandom {

    private static final int[] INT_EDGES = {0, 1, -1, 2, -2, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1};

    private final long seed;
    private final SplittableRandom random;

    public SeededRandom(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this instance started from. */
    public long seed() {
        return seed;
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** An int in [min, max], both included. */
    public int between(int min, int max) {
        return (int) random.nextLong(min, (long) max + 1);
    }

    /** Any int, one time in eight one of the edges (0, ±1, ±2, the limits and their neighbours). */
    public int anyInt() {
        return chance(0.125) ? INT_EDGES[random.nextInt(INT_EDGES.length)] : random.nextInt();
    }

    public long anyLong() {
        return random.nextLong();
    }

    /** A size in [min, max]: one time in ten min, one in ten max, else small sizes as often as large. */
    public int size(int min, int max) {
        double roll = random.nextDouble();
        if (roll < 0.1) {
            return min;
        }
        if (roll < 0.2) {
            return max;
        }
        // half the time from the lower eighth of the range: short inputs are the readable ones
        return roll < 0.6 ? between(min, min + (max - min) / 8) : between(min, max);
    }

    @SafeVarargs
    public final <T> T oneOf(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    public <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Draws from one of the generators, each as likely as the others. */
    @SafeVarargs
    public final <T> T fromOneOf(Function<SeededRandom, T>... generators) {
        return generators[random.nextInt(generators.length)].apply(this);
    }

    /** Draws from a generator picked with the weights given: {@code weights[i]} for {@code generators[i]}. */
    @SafeVarargs
    public final <T> T weighted(int[] weights, Function<SeededRandom, T>... generators) {
        if (weights.length != generators.length) {
            throw new IllegalArgumentException("one weight per generator");
        }
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int roll = random.nextInt(total);
        for (int i = 0; ; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return generators[i].apply(this);
            }
        }
    }

    /** A list of {@link #size} [min, max] elements. */
    public <T> List<T> listOf(int min, int max, Supplier<T> element) {
        int size = size(min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** Up to {@code maxLength} characters, each one of {@code alphabet}. */
    public String string(int maxLength, String alphabet) {
        int length = size(0, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Up to {@code maxLength} bytes, any values. */
    public byte[] bytes(int maxLength) {
        byte[] bytes = new byte[size(0, maxLength)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
