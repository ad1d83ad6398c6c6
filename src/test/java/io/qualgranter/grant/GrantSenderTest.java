package io.qualgranter.grant;

import io.qualgranter.row.GrantRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.qualgranter.grant.MTurkClientFactory.RetrySettings;
import io.qualgranter.row.Outcome;
import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.TestCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sender through the real SDK clients, wired as the job wires them (signed requests, every
 * attempt paced by one {@link AdaptiveRate}), against the loopback MTurk stand-in: overlap, order,
 * retries, slow-downs.
 */
@ExtendWith(TestCredentials.class)
class GrantSenderTest {

    static final String TYPE = "3SENDERTYPE0000000000000001";
    /** Quick retries, for tests of what is retried rather than of how long it waits. */
    static final RetrySettings QUICK = new RetrySettings(6, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMinutes(1));


    FakeMTurk mturk;
    GrantSender sender;

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Sender test", "Active", true);
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        mturk.close();
    }

    GrantSender sender(AdaptiveRate rate, RetrySettings retry, int concurrency, int failureLimit) {
        MTurkGateway gateway = new MTurkGateway(
                MTurkClientFactory.createForGrants(mturk.endpoint(), retry, concurrency, rate),
                MTurkClientFactory.create(mturk.endpoint(), retry, concurrency, rate), retry, () -> false);
        sender = new GrantSender(gateway, rate::rate, concurrency, failureLimit);
        return sender;
    }

    static List<GrantRequest> requests(int n) {
        return IntStream.rangeClosed(1, n)
                .mapToObj(i -> new GrantRequest(String.format("A%08d", i), TYPE, i, false))
                .toList();
    }

    @Test
    void callsOverlapUpToTheConcurrencyAndResultsComeBackInRequestOrder() {
        mturk.serviceTime(Duration.ofMillis(80));
        List<GrantRequest> requests = new ArrayList<>(requests(24));
        requests.set(6, new GrantRequest("A0STRANGER", TYPE, 1, false));
        mturk.knownWorkers(Set.copyOf(requests(24).stream().map(GrantRequest::workerId).toList()));

        List<CallResult> results = sender(new AdaptiveRate(1000), QUICK, 4, 10).send(requests);

        assertThat(results).hasSize(24);
        for (int i = 0; i < 24; i++) {
            assertThat(results.get(i).outcome()).as("result %d", i).isEqualTo(i == 6 ? Outcome.REJECTED : Outcome.GRANTED);
        }
        assertThat(results.get(6).detail()).contains("ParameterValidationError");
        assertThat(mturk.maxInFlight()).isBetween(2, 4);
        assertThat(mturk.associateCount(TYPE, "A0STRANGER")).as("a 4xx is never retried").isEqualTo(1);
        assertThat(mturk.grants()).hasSize(23);
    }

    @Test
    void whileTheBreakerDecidesTheRestGoAtItsFirstAnswerOfAnotherKindNotAfterAllItNeeds() {
        mturk.serviceTime(Duration.ofMillis(300)); // answers in 150-450 ms
        WrongEnvironmentBreaker breaker = new WrongEnvironmentBreaker(20, "the sandbox");

        List<CallResult> results = sender(new AdaptiveRate(1000), QUICK, 40, 10).send(requests(40), breaker);

        assertThat(results).hasSize(40).extracting(CallResult::outcome).containsOnly(Outcome.GRANTED);
        assertThat(breaker.deciding()).isFalse();
        assertThat(mturk.maxInFlight()).as("the last 20 sent while most of the first 20 answers were still to come")
                .isGreaterThan(30);
    }

    @Test
    void whenTheFirstAnswerIsAnUnknownWorkerBeforeTheRestsTurnNoMoreThanTheBreakerNeededAreSent() {
        mturk.serviceTime(Duration.ofMillis(40)); // answers in 20-60 ms; the breaker's 20 calls take 80 ms at 200/s
        mturk.knownWorkers(Set.of("A0SOMEONEELSE"));
        WrongEnvironmentBreaker breaker = new WrongEnvironmentBreaker(20, "the sandbox");

        assertThatThrownBy(() -> sender(new AdaptiveRate(200), QUICK, 40, 10).send(requests(200), breaker))
                .isInstanceOf(WrongEnvironmentException.class).hasMessageContaining("the first 20 grants");
        assertThat(mturk.associateCalls()).as("the rest held from the first answer on").hasSizeLessThanOrEqualTo(20 + 4);
        assertThat(mturk.grants()).isEmpty();
    }

    @Test
    void whileTheBreakerWaitsForItsFirstAnswerTheRestGoAtTheRateAndStopWhenItIsAnUnknownWorker() {
        mturk.serviceTime(Duration.ofMillis(600)); // answers in 300-900 ms: ~120-360 sends at 400/s
        mturk.knownWorkers(Set.of("A0SOMEONEELSE"));
        WrongEnvironmentBreaker breaker = new WrongEnvironmentBreaker(20, "the sandbox");

        assertThatThrownBy(() -> sender(new AdaptiveRate(400), QUICK, 200, 10).send(requests(1000), breaker))
                .isInstanceOf(WrongEnvironmentException.class).hasMessageContaining("the first 20 grants");
        assertThat(mturk.associateCalls()).as("sent before the first answer came back, not after it")
                .hasSizeGreaterThan(40).hasSizeLessThan(500);
        assertThat(mturk.grants()).isEmpty();
    }

    @Test
    void anAnswerOfAnotherKindToACallTheBreakerDoesNotWatchDisarmsIt() {
        mturk.serviceTime(Duration.ofMillis(600)); // the rest leave long before the first answer
        List<GrantRequest> requests = requests(60);
        mturk.knownWorkers(Set.copyOf(requests.subList(20, 60).stream().map(GrantRequest::workerId).toList()));
        WrongEnvironmentBreaker breaker = new WrongEnvironmentBreaker(20, "the sandbox");

        List<CallResult> results = sender(new AdaptiveRate(400), QUICK, 60, 10).send(requests, breaker);

        assertThat(results.subList(0, 20)).extracting(CallResult::outcome).containsOnly(Outcome.REJECTED);
        assertThat(results.subList(20, 60)).extracting(CallResult::outcome).containsOnly(Outcome.GRANTED);
        assertThat(mturk.grants()).hasSize(40);
        assertThat(breaker.deciding()).isFalse();
    }

    @Test
    void throttledCallsAreRetriedAndSlowTheRateEvenWhenTheRetrySucceeds() {
        mturk.rateLimit(40, 4);
        AdaptiveRate rate = new AdaptiveRate(400);
        RetrySettings realistic = new RetrySettings(6, Duration.ofMillis(200), Duration.ofSeconds(20), Duration.ofMinutes(1));

        List<CallResult> results = sender(rate, realistic, 8, 10).send(requests(60));

        assertThat(results).extracting(CallResult::outcome).containsOnly(Outcome.GRANTED);
        assertThat(mturk.grants()).hasSize(60);
        assertThat(mturk.throttledCount()).isPositive();
        assertThat(rate.slowDowns()).isEqualTo(mturk.throttledCount());
        assertThat(rate.cuts()).isPositive();
        assertThat(rate.rate()).isLessThan(400);
    }

    @Test
    void a503StormIsRetriedAndEndsGranted() {
        mturk.failNext(5, 503);
        AdaptiveRate rate = new AdaptiveRate(1000);

        List<CallResult> results = sender(rate, QUICK, 4, 3).send(requests(12));

        assertThat(results).extracting(CallResult::outcome).containsOnly(Outcome.GRANTED);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isEqualTo(12 + 5);
        assertThat(rate.slowDowns()).isEqualTo(5);
        assertThat(rate.cuts()).isPositive();
    }

    @Test
    void aLostAnswerIsCheckedAgainRightBeforeItIsSentAgain() {
        mturk.applyLate(3); // 500, and the grant shows only after the first GetQualificationScore said "no"
        List<GrantRequest> notifying = requests(6).stream()
                .map(r -> new GrantRequest(r.workerId(), TYPE, r.integerValue(), true)).toList();

        List<CallResult> results = sender(new AdaptiveRate(1000), QUICK, 2, 10).send(notifying);

        assertThat(results).extracting(CallResult::outcome).containsOnly(Outcome.GRANTED);
        assertThat(results).filteredOn(r -> r.detail() != null && r.detail().startsWith(MTurkGateway.CONFIRMED_AFTER_LOST_ANSWER))
                .hasSize(3);
        for (GrantRequest request : notifying) {
            assertThat(mturk.associateCount(TYPE, request.workerId())).as("calls for %s", request.workerId()).isEqualTo(1);
            assertThat(mturk.notificationsSent(request.workerId())).as("mails to %s", request.workerId()).isEqualTo(1);
        }
    }

    @Test
    void afterTooManyFailuresInARowTheRestIsNotSent() {
        mturk.failAssociateFromCall(1, 500);
        RetrySettings twoAttempts = new RetrySettings(2, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMinutes(1));

        List<CallResult> results = sender(new AdaptiveRate(1000), twoAttempts, 2, 3).send(requests(20));

        assertThat(results).extracting(CallResult::outcome).containsOnly(Outcome.FAILED);
        assertThat(results).filteredOn(r -> r.detail().startsWith("not sent")).hasSizeGreaterThanOrEqualTo(20 - 4);
        assertThat(sender.serviceDown()).isTrue();
        assertThat(sender.failuresInARow()).isGreaterThanOrEqualTo(3);
        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isLessThanOrEqualTo(4 * 2);
    }

    @Test
    void aRefusedCallerStopsTheRestAndIsThrownOnceTheCallsInFlightEnded() {
        mturk.rejectAccessKey(GranterCli.ACCESS_KEY);

        GrantSender s = sender(new AdaptiveRate(1000), QUICK, 3, 10);
        assertThatThrownBy(() -> s.send(requests(30))).isInstanceOf(CredentialsRejectedException.class);

        assertThat(mturk.requestCount("AssociateQualificationWithWorker")).isLessThanOrEqualTo(3);
        assertThat(mturk.grants()).isEmpty();
    }
}
