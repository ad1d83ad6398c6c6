package io.qualgranter.grant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The simulation behind {@code ops/bench-simulated} keeps its books: what its figures rest on. */
class RateSimulationTest {

    @Test
    void everyRowEndsOnceAndTheServiceNeverLetsInMoreThanItsBucketAllows() {
        RateSimulation simulation = new RateSimulation();
        for (long seed = 1; seed <= 5; seed++) {
            RateSimulation.Run run = simulation.run(seed);
            assertThat(run.grants() + run.gaveUp()).as("each row granted or given up, seed %d", seed).isEqualTo(simulation.rows);
            assertThat(run.sends()).as("each send let in or refused, seed %d", seed).isEqualTo(run.grants() + run.refused());
            double seconds = (run.lastAccepted() - run.firstArrival()) / 1e9;
            assertThat((double) run.grants()).as("at most a bucket and its refill, seed %d", seed)
                    .isLessThanOrEqualTo(simulation.burst + simulation.limit * seconds + 1);
            assertThat(run.cuts()).as("--rate 4L is cut, seed %d", seed).isPositive();
        }
    }

    @Test
    void aSeedDrawsTheSameMachineAndTheSameRunEveryTime() {
        RateSimulation simulation = new RateSimulation();
        assertThat(simulation.run(7)).isEqualTo(simulation.run(7));
        assertThat(simulation.run(8)).isNotEqualTo(simulation.run(7));
    }

    @Test
    void onAQuietMachineTheRateOfTheLimitItselfIsNeverThrottled() {
        RateSimulation simulation = quietAtTheLimit();
        for (double limit : new double[] {200, 500}) {
            simulation.limit = limit;
            RateSimulation.Run run = simulation.run(1);
            assertThat(run.refused()).as("refused at L = %.0f", limit).isZero();
            assertThat(run.goodput()).as("goodput ÷ L at L = %.0f", limit).isGreaterThanOrEqualTo(0.97);
        }
    }

    @Test
    void aPauseOfTheServiceMakesAClumpItsBucketRefusesAPauseOfTheClientDoesNot() {
        RateSimulation simulation = quietAtTheLimit();
        simulation.pauseMs = 50;
        simulation.servicePause = true;
        // 25 requests queued in the pause, taken at once: the bucket's 10 let in, the rest refused
        assertThat(simulation.run(1).refused()).as("the service paused").isGreaterThanOrEqualTo(10);
        simulation.servicePause = false;
        // the client's sends stop too; after it the pacer lets at most 25 ms of them catch up, within the bucket
        assertThat(simulation.run(1).refused()).as("the client paused").isZero();
    }

    /** 500/10/300 at --rate L on a machine with next to no delays, stalls or slow start. */
    private static RateSimulation quietAtTheLimit() {
        RateSimulation simulation = new RateSimulation();
        simulation.measuredRange = false;
        simulation.jitterMs = 0.5;
        simulation.lateJitterMs = 0.5;
        simulation.stallShare = 0;
        simulation.over = 1;
        return simulation;
    }
}
