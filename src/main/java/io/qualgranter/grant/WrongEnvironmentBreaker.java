package io.qualgranter.grant;

import io.qualgranter.row.Outcome;

/**
 * Watches the first answers of a run for the commonest mix-up: production worker ids sent to the
 * sandbox (or the reverse), which the service refuses one by one with {@code ParameterValidationError}
 * on WorkerId. When the first {@code limit} calls are all refused that way it stops the run with
 * {@link WrongEnvironmentException}; the first call answered otherwise disarms it for good.
 */
public final class WrongEnvironmentBreaker {

    private final int limit;
    private final String targetDescription;
    private int unknownWorkers;
    private boolean disarmed;

    /**
     * @param limit             refusals in a row from the first call that stop the run (0: never)
     * @param targetDescription where the calls go, for the message ("the sandbox", "production"...)
     */
    public WrongEnvironmentBreaker(int limit, String targetDescription) {
        this.limit = limit;
        this.targetDescription = targetDescription;
        this.disarmed = limit <= 0;
    }

    /** Whether it still watches the answers (neither disarmed nor turned off). */
    public boolean deciding() {
        return !disarmed;
    }

    /** How many more answers it must see before it can decide; {@link Integer#MAX_VALUE} once disarmed. */
    public int stillWatching() {
        return disarmed ? Integer.MAX_VALUE : limit - unknownWorkers;
    }

    /** An answer of another kind came back to a call it did not watch: the environment is the right one. */
    public void disarm() {
        disarmed = true;
    }

    /** Looks at one answer, in call order; throws when it completes a run of {@code limit} unknown workers. */
    public void observe(CallResult result) {
        if (disarmed) {
            return;
        }
        if (!isUnknownWorker(result)) {
            disarmed = true;
            return;
        }
        if (++unknownWorkers >= limit) {
            throw new WrongEnvironmentException("the first " + limit + " grants were all refused because "
                    + targetDescription + " does not know the worker (ParameterValidationError on WorkerId): these "
                    + "look like production worker ids sent to the sandbox, or the reverse; check --sandbox/--production. "
                    + "The run stopped; nothing was granted");
        }
    }

    static boolean isUnknownWorker(CallResult result) {
        return result.outcome() == Outcome.REJECTED && result.detail() != null
                && result.detail().startsWith("ParameterValidationError") && result.detail().contains("WorkerId");
    }
}
