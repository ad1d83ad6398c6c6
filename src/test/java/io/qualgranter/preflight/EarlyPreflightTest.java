package io.qualgranter.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeResponse;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.TestCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The early preflight reads on their own, through the real SDK client against the loopback stand-in:
 * which answers the preflight takes, and which it must ask for again.
 */
@ExtendWith(TestCredentials.class)
class EarlyPreflightTest {

    static final String TYPE = "3EARLYTYPE0000000000000000001";


    FakeMTurk mturk;

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start().addType(TYPE, "Early type", "Active", true);
    }

    @AfterEach
    void stop() {
        EarlyPreflight.forget();
        mturk.close();
    }

    @Test
    void theReadsAreTakenOnceForTheirEndpoint() {
        EarlyPreflight.start(mturk.endpoint());

        OwnedTypes owned = EarlyPreflight.take(URI.create(mturk.endpoint() + "/"));

        assertThat(owned).isNotNull();
        assertThat(owned.byId(TYPE).name()).isEqualTo("Early type");
        assertThat(mturk.requestCounts()).isEqualTo(Map.of("GetAccountBalance", 1, "ListQualificationTypes", 1));
        assertThat(EarlyPreflight.take(mturk.endpoint())).as("taken once").isNull();
    }

    @Test
    void readsOfAnotherEndpointOrNoneAreNotUsed() {
        assertThat(EarlyPreflight.take(mturk.endpoint())).as("none started").isNull();

        EarlyPreflight.start(mturk.endpoint());

        assertThat(EarlyPreflight.take(URI.create("http://127.0.0.1:9"))).isNull();
        assertThat(EarlyPreflight.take(mturk.endpoint())).as("forgotten by the other endpoint's take").isNull();
    }

    @Test
    void anAnswerTheSdkWouldRetryIsNotUsedSoThePreflightAsksAgainWithRetries() {
        mturk.failOperation("ListQualificationTypes", 1, FakeResponse.throttling());
        EarlyPreflight.start(mturk.endpoint());

        assertThat(EarlyPreflight.take(mturk.endpoint())).isNull();
        assertThat(mturk.requestCount("ListQualificationTypes")).as("one attempt").isEqualTo(1);
    }

    @Test
    void anErrorAnswerIsNotUsedEitherThePreflightAsksAgainWithTheRunsRetries() {
        // the client's retry strategy retries some error answers (a clock-skew signature error among them)
        mturk.rejectAccessKey(GranterCli.ACCESS_KEY);
        EarlyPreflight.start(mturk.endpoint());

        assertThat(EarlyPreflight.take(mturk.endpoint())).isNull();
        assertThat(mturk.requestCount("GetAccountBalance")).as("one attempt").isEqualTo(1);
    }
}
