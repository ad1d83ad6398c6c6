package io.qualgranter.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The AIMD rule on a hand-driven clock: when the rate is cut, by how much, when it rises again, what is logged. */
class AdaptiveRateTest {

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(AdaptiveRate.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    /** A rate of {@code ceiling} that has just handed out {@code permits} permits within 100 ms. */
    AdaptiveRate sending(double ceiling, int permits) {
        AdaptiveRate rate = new AdaptiveRate(ceiling, clock::get);
        for (int i = 0; i < permits; i++) {
            rate.acquire();
            advance(Duration.ofMillis(10));
        }
        return rate;
    }

    void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void startsAtTheCeilingAndCutsToFourFifthsOfWhatWasReallySent() {
        AdaptiveRate rate = sending(1000, 10); // 10 permits in 100 ms: 100/s really sent

        assertThat(rate.rate()).isEqualTo(1000);
        rate.slowDown(10);
        assertThat(rate.rate()).as("a lone slow-down is left to the retry").isEqualTo(1000);
        rate.slowDown(9);

        assertThat(rate.rate()).isCloseTo(80, within(1.0));
        assertThat(rate.cuts()).isEqualTo(1);
    }

    @Test
    void cutsTowardsWhatTheServiceAcceptedAtMostHalfwayInOneCut() {
        AdaptiveRate rate = new AdaptiveRate(1000, clock::get);
        for (int i = 0; i < 10; i++) { // 100/s sent, 40/s of it accepted
            rate.acquire();
            if (i % 5 < 2) {
                rate.succeeded();
            }
            advance(Duration.ofMillis(10));
        }
        rate.slowDown(10);
        rate.slowDown(10);

        assertThat(rate.rate()).as("0.8 × max(accepted 40, half of 100)").isCloseTo(40, within(1.0));
    }

    @Test
    void answersToAttemptsSentBeforeTheCutOrWithinTheHoldDoNotCutAgain() {
        AdaptiveRate rate = sending(1000, 10);
        rate.slowDown(10);
        rate.slowDown(10);
        double afterFirstCut = rate.rate();

        rate.acquire(); // permit 11, sent at the new rate
        rate.slowDown(9);   // sent before the cut
        rate.slowDown(11);  // within the hold
        assertThat(rate.rate()).isEqualTo(afterFirstCut);

        advance(AdaptiveRate.HOLD);
        rate.slowDown(10);  // still an answer to the old rate
        assertThat(rate.rate()).isEqualTo(afterFirstCut);

        rate.slowDown(11);
        assertThat(rate.rate()).isEqualTo(afterFirstCut);
        rate.slowDown(11);
        assertThat(rate.rate()).isLessThan(afterFirstCut);
        assertThat(rate.slowDowns()).isEqualTo(7);
        assertThat(rate.cuts()).isEqualTo(2);
    }

    @Test
    void slowDownsFurtherApartThanTheConfirmationWindowDoNotCut() {
        AdaptiveRate rate = sending(1000, 10);
        for (int i = 0; i < 5; i++) {
            rate.slowDown(10);
            advance(AdaptiveRate.CONFIRM.plusMillis(1));
        }
        assertThat(rate.rate()).isEqualTo(1000);
        assertThat(rate.slowDowns()).isEqualTo(5);
        assertThat(rate.cuts()).isZero();
    }

    @Test
    void risesByOneStepPerIntervalOfSuccessNeverAboveTheCeiling() {
        AdaptiveRate rate = sending(100, 10); // 100/s sent, ceiling 100
        rate.slowDown(10);
        rate.slowDown(10);
        assertThat(rate.rate()).isCloseTo(80, within(0.5));

        rate.succeeded();
        assertThat(rate.rate()).as("not before an interval has passed").isCloseTo(80, within(0.5));

        double step = 100 * AdaptiveRate.STEP_SHARE;
        for (int i = 1; i <= 4; i++) {
            advance(AdaptiveRate.INCREASE_INTERVAL);
            rate.succeeded();
            rate.succeeded(); // many successes in one interval: one step
            assertThat(rate.rate()).isCloseTo(80 + i * step, within(0.5));
        }
        for (int i = 0; i < 10; i++) {
            advance(AdaptiveRate.INCREASE_INTERVAL);
            rate.succeeded();
        }
        assertThat(rate.rate()).isEqualTo(100);
    }

    @Test
    void neverBelowTheFloor() {
        AdaptiveRate rate = new AdaptiveRate(2, clock::get);
        for (int i = 0; i < 20; i++) {
            advance(AdaptiveRate.HOLD);
            rate.slowDown(Long.MAX_VALUE);
            rate.slowDown(Long.MAX_VALUE);
        }
        assertThat(rate.rate()).isEqualTo(AdaptiveRate.FLOOR);
    }

    @Test
    void eachChangeIsLoggedOnceAtInfo() {
        AdaptiveRate rate = sending(100, 10);
        rate.slowDown(10);
        rate.slowDown(10);
        rate.slowDown(10);
        for (int i = 0; i < 50; i++) {
            rate.succeeded();
        }
        advance(AdaptiveRate.INCREASE_INTERVAL);
        for (int i = 0; i < 50; i++) {
            rate.succeeded();
        }

        assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                cut -> assertThat(cut).startsWith("request rate lowered to 80.0/s (was 100.0/s, most 100.0/s)"),
                rise -> assertThat(rise).startsWith("request rate raised to 81.5/s (was 80.0/s"));
    }

    @Test
    void throttlingAnd503AreSlowDownsOtherFailuresAreNot() {
        assertThat(AdaptiveRate.isSlowDown(serviceError(400, "ThrottlingException"))).isTrue();
        assertThat(AdaptiveRate.isSlowDown(serviceError(429, "TooManyRequests"))).isTrue();
        assertThat(AdaptiveRate.isSlowDown(serviceError(503, "ServiceFault"))).isTrue();
        assertThat(AdaptiveRate.isSlowDown(serviceError(500, "ServiceFault"))).isFalse();
        assertThat(AdaptiveRate.isSlowDown(serviceError(400, "ParameterValidationError"))).isFalse();
        assertThat(AdaptiveRate.isSlowDown(SdkClientException.create("connection reset"))).isFalse();
    }

    @Test
    void refusesANonsensicalCeiling() {
        assertThatThrownBy(() -> new AdaptiveRate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdaptiveRate(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    static AwsServiceException serviceError(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("test").build()).build();
    }
}
