package io.qualgranter.testsupport;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Property tests as plain JUnit 5 tests: {@code SeededTries.run(200, random -> ...)} inside a {@code @Test}
 * runs the body on 200 inputs drawn from {@link SeededRandom}s, each with its own seed. The first try that
 * fails stops the test with an AssertionError that names its seed and the command that replays it:
 * {@code -Dtries.seed=N} runs only that try; {@code -Dtries.factor=F} multiplies every count (a longer
 * search, e.g. {@code -Dtries.factor=10}). The seeds differ from run to run unless replayed, so every
 * run looks at new inputs.
 */
public final class SeededTries {

    public static final String SEED_PROPERTY = "tries.seed";
    public static final String FACTOR_PROPERTY = "tries.factor";

    /** One try: throws (an assertion) when the property does not hold for this input. */
    @FunctionalInterface
    public interface Try {
        void run(SeededRandom random) throws Exception;
    }

    private SeededTries() {
    }

    public static void run(int tries, Try body) {
        String caller = testMethod();
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            attempt(body, Long.parseLong(replay.strip()), 1, 1, caller);
            return;
        }
        int count = Math.max(1, (int) Math.round(tries * Double.parseDouble(System.getProperty(FACTOR_PROPERTY, "1"))));
        SplittableRandom seeds = new SplittableRandom();
        for (int i = 1; i <= count; i++) {
            attempt(body, seeds.nextLong(), i, count, caller);
        }
    }

    /** The {@code @Test} method that called, for the replay command ({@code Class#method}). */
    private static String testMethod() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> Arrays.stream(f.getDeclaringClass().getDeclaredMethods())
                        .anyMatch(m -> m.getName().equals(f.getMethodName()) && m.isAnnotationPresent(Test.class)))
                .findFirst()
                .map(f -> f.getDeclaringClass().getSimpleName() + "#" + f.getMethodName()).orElse("THE_TEST"));
    }

    private static void attempt(Try body, long seed, int number, int count, String caller) {
        try {
            body.run(new SeededRandom(seed));
        } catch (Exception | AssertionError failure) {
            String message = "try " + number + " of " + count + " failed with seed " + seed + "; replay it: ./mvnw test -Dtest="
                    + caller + " -D" + SEED_PROPERTY + "=" + seed + "\n" + failure;
            System.err.println(message);
            throw new AssertionError(message, failure);
        }
    }
}
