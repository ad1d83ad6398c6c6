package io.qualgranter.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.qualgranter.testsupport.FakeMTurk.AssociateCall;
import io.qualgranter.testsupport.FakeMTurk.Key;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.AssociateQualificationWithWorkerRequest;
import software.amazon.awssdk.services.mturk.model.ListQualificationTypesResponse;
import software.amazon.awssdk.services.mturk.model.MTurkException;
import software.amazon.awssdk.services.mturk.model.Qualification;
import software.amazon.awssdk.services.mturk.model.QualificationRequest;
import software.amazon.awssdk.services.mturk.model.QualificationType;
import software.amazon.awssdk.services.mturk.model.RequestErrorException;
import software.amazon.awssdk.services.mturk.model.ServiceException;

/** Drives {@link FakeMTurk} through the real SDK {@link MTurkClient} over loopback HTTP. */
class FakeMTurkTest {

    private static final String TYPE = "3TYPEOWNED";
    private static final String WORKER = "A1WORKER";
    private static final String ACCESS_KEY = "AKIDFAKEKEY";
    private static final String ASSOCIATE = "AssociateQualificationWithWorker";

    private FakeMTurk mturk;
    private final List<MTurkClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        mturk = FakeMTurk.start();
        mturk.addType(TYPE, "Owned skill", "Active", true);
    }

    @AfterEach
    void stop() {
        clients.forEach(MTurkClient::close);
        mturk.close();
    }

    @Test
    void grantIsRecordedAndScoreRoundTrips() {
        MTurkClient client = client();
        Instant before = Instant.now().minusSeconds(1);

        client.associateQualificationWithWorker(associate(WORKER, 42).sendNotification(false).build());

        assertThat(mturk.grants()).containsExactly(Map.entry(new Key(TYPE, WORKER), 42));
        assertThat(mturk.associateCalls())
                .containsExactly(new AssociateCall(1, WORKER, TYPE, 42, false, ACCESS_KEY));
        assertThat(mturk.accessKeyIds()).containsExactly(ACCESS_KEY);
        assertThat(mturk.notificationsSent(WORKER)).isZero();

        Qualification score = client.getQualificationScore(r -> r.qualificationTypeId(TYPE).workerId(WORKER))
                .qualification();
        assertThat(score.integerValue()).isEqualTo(42);
        assertThat(score.statusAsString()).isEqualTo("Granted");
        assertThat(score.workerId()).isEqualTo(WORKER);
        assertThat(score.qualificationTypeId()).isEqualTo(TYPE);
        assertThat(score.grantTime()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(mturk.requestCount(ASSOCIATE)).isEqualTo(1);
        assertThat(mturk.requestCount("GetQualificationScore")).isEqualTo(1);
    }

    @Test
    void absentValueAndNotificationFollowTheApiDefaults() {
        client().associateQualificationWithWorker(r -> r.qualificationTypeId(TYPE).workerId(WORKER));

        assertThat(mturk.associateCalls()).singleElement().satisfies(call -> {
            assertThat(call.integerValue()).isNull();
            assertThat(call.sendNotification()).isNull();
        });
        assertThat(mturk.grants()).containsEntry(new Key(TYPE, WORKER), 1);
        assertThat(mturk.notificationsSent(WORKER)).isEqualTo(1);
        assertThat(mturk.associateCount(TYPE, WORKER)).isEqualTo(1);
    }

    @Test
    void scoreOfAnUngrantedWorkerIsARequestError() {
        RequestErrorException error = catchThrowableOfType(RequestErrorException.class,
                () -> client().getQualificationScore(r -> r.qualificationTypeId(TYPE).workerId(WORKER)));

        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("RequestError");
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.turkErrorCode()).isEqualTo("AWS.MechanicalTurk.QualificationDoesNotExist");
    }

    @Test
    void unknownWorkerIsAParameterValidationErrorOfTheBaseClass() {
        mturk.knownWorkers(Set.of("A1KNOWN"));
        MTurkClient client = noRetryClient();

        MTurkException unknown = catchThrowableOfType(MTurkException.class,
                () -> client.associateQualificationWithWorker(associate("A2UNKNOWN", 1).build()));
        MTurkException malformed = catchThrowableOfType(MTurkException.class,
                () -> client.associateQualificationWithWorker(associate("not-a-worker", 1).build()));

        for (MTurkException error : List.of(unknown, malformed)) {
            assertThat(error).isExactlyInstanceOf(MTurkException.class);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ParameterValidationError");
            assertThat(error.statusCode()).isEqualTo(400);
            assertThat(error.isThrottlingException()).isFalse();
        }
        assertThat(unknown.awsErrorDetails().errorMessage())
                .isEqualTo("The value \"A2UNKNOWN\" is not valid for the parameter WorkerId.");
        client.associateQualificationWithWorker(associate("A1KNOWN", 1).build());
        assertThat(mturk.grants()).containsOnlyKeys(new Key(TYPE, "A1KNOWN"));
        assertThat(mturk.associateCalls()).hasSize(3);
    }

    @Test
    void unknownForeignOrInactiveTypeIsARequestError() {
        mturk.addType("3FOREIGN", "Someone else's", "Active", false);
        mturk.addType("3INACTIVE", "Retired", "Inactive", true);
        MTurkClient client = noRetryClient();

        for (String type : List.of("3NOSUCHTYPE", "3FOREIGN", "3INACTIVE")) {
            RequestErrorException error = catchThrowableOfType(RequestErrorException.class,
                    () -> client.associateQualificationWithWorker(r -> r.qualificationTypeId(type).workerId(WORKER)));
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("RequestError");
            assertThat(error.statusCode()).isEqualTo(400);
        }
        assertThat(mturk.grants()).isEmpty();
        assertThat(mturk.requestCount(ASSOCIATE)).isEqualTo(3);
    }

    @Test
    void beyondTheRateLimitTheSdkSeesThrottlingException() {
        mturk.rateLimit(1.0, 1.0);
        MTurkClient client = noRetryClient();

        client.associateQualificationWithWorker(associate("A1FIRST", 1).build());
        MTurkException error = catchThrowableOfType(MTurkException.class,
                () -> client.associateQualificationWithWorker(associate("A1SECOND", 1).build()));

        assertThat(error).isExactlyInstanceOf(MTurkException.class);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(error.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.isThrottlingException()).isTrue();
        assertThat(mturk.throttledCount()).isEqualTo(1);
        assertThat(mturk.grants()).containsOnlyKeys(new Key(TYPE, "A1FIRST"));
        assertThat(mturk.associateCount(TYPE, "A1SECOND")).isEqualTo(1);

        mturk.noRateLimit();
        client.associateQualificationWithWorker(associate("A1SECOND", 1).build());
        assertThat(mturk.grants()).hasSize(2);
    }

    @Test
    void aRequestWaitingForAHandlerThreadIsTimedWhenItArrived() throws Exception {
        // one handler thread, busy for a second with the first grant; the second arrives meanwhile and waits
        // for it. The bucket (one token, refilled at 2/s) has a token again 500 ms after the first: timed
        // when its handler gets to it, the second would be let in; timed when it arrived, it is refused
        try (FakeMTurk busy = FakeMTurk.start(0, 1)) {
            busy.addType(TYPE, "Owned skill", "Active", true);
            busy.rateLimit(2.0, 1.0).serviceTime(Duration.ofSeconds(1));
            MTurkClient client = client(busy.endpoint());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> first = pool.submit(() -> client.associateQualificationWithWorker(associate("A1FIRST", 1).build()));
                while (busy.requestCount(ASSOCIATE) == 0) {
                    Thread.sleep(5);
                }
                Future<?> second = pool.submit(() -> client.associateQualificationWithWorker(associate("A1SECOND", 1).build()));
                first.get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                        .cause().isInstanceOfSatisfying(MTurkException.class, e -> assertThat(e.isThrottlingException()).isTrue());
            } finally {
                pool.shutdownNow();
            }
            assertThat(busy.grants()).containsOnlyKeys(new Key(TYPE, "A1FIRST"));
        }
    }

    @Test
    void theSdkRetriesThrottlingByDefault() {
        mturk.rateLimit(5.0, 1.0);
        MTurkClient client = client();

        client.associateQualificationWithWorker(associate("A1FIRST", 1).build());
        client.associateQualificationWithWorker(associate("A1SECOND", 1).build());

        assertThat(mturk.grants()).hasSize(2);
        assertThat(mturk.throttledCount()).isPositive();
        assertThat(mturk.requestCount(ASSOCIATE)).isEqualTo(2 + mturk.throttledCount());
    }

    @Test
    void failuresFromACallNumberOnAreServiceFaults() {
        mturk.failAssociateFromCall(2, 500);
        MTurkClient client = noRetryClient();

        client.associateQualificationWithWorker(associate("A1FIRST", 1).build());
        ServiceException fault = catchThrowableOfType(ServiceException.class,
                () -> client.associateQualificationWithWorker(associate("A1SECOND", 1).build()));

        assertThat(fault.awsErrorDetails().errorCode()).isEqualTo("ServiceFault");
        assertThat(fault.statusCode()).isEqualTo(500);
        assertThat(mturk.grants()).containsOnlyKeys(new Key(TYPE, "A1FIRST"));

        mturk.failAssociateFromCall(1, 503);
        ServiceException unavailable = catchThrowableOfType(ServiceException.class,
                () -> client.associateQualificationWithWorker(associate("A1SECOND", 1).build()));
        assertThat(unavailable.awsErrorDetails().errorCode()).isEqualTo("ServiceFault");
        assertThat(unavailable.statusCode()).isEqualTo(503);

        mturk.clearFaults();
        client.associateQualificationWithWorker(associate("A1SECOND", 1).build());
        assertThat(mturk.grants()).hasSize(2);
        assertThat(mturk.associateCount(TYPE, "A1SECOND")).isEqualTo(3);
    }

    @Test
    void aShort503StormIsAbsorbedBySdkRetries() {
        mturk.failNext(2, 503);

        client().associateQualificationWithWorker(associate(WORKER, 7).build());

        assertThat(mturk.requestCount(ASSOCIATE)).isEqualTo(3);
        assertThat(mturk.grants()).containsEntry(new Key(TYPE, WORKER), 7);
    }

    @Test
    void aTransientFaultIsVisibleWithoutRetries() {
        mturk.failNext(1, 503);
        MTurkClient client = noRetryClient();

        assertThatThrownBy(() -> client.associateQualificationWithWorker(associate(WORKER, 7).build()))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        client.associateQualificationWithWorker(associate(WORKER, 7).build());
        assertThat(mturk.grants()).containsEntry(new Key(TYPE, WORKER), 7);
    }

    @Test
    void aLostResponseAppliesTheGrantAnyway() {
        mturk.applyThenFail(1);

        ServiceException fault = catchThrowableOfType(ServiceException.class,
                () -> noRetryClient().associateQualificationWithWorker(associate(WORKER, 3).build()));

        assertThat(fault.statusCode()).isEqualTo(500);
        assertThat(fault.awsErrorDetails().errorCode()).isEqualTo("ServiceFault");
        assertThat(mturk.grants()).containsEntry(new Key(TYPE, WORKER), 3);
        assertThat(noRetryClient().getQualificationScore(r -> r.qualificationTypeId(TYPE).workerId(WORKER))
                .qualification().integerValue()).isEqualTo(3);
    }

    @Test
    void theAssociateHookCanAnswerInstead() {
        mturk.onAssociate(call -> call.workerId().equals("A1BLOCKED")
                ? Optional.of(FakeResponse.requestError("Blocked by test.", "AWS.Test"))
                : Optional.empty());
        MTurkClient client = noRetryClient();

        assertThatThrownBy(() -> client.associateQualificationWithWorker(associate("A1BLOCKED", 1).build()))
                .isInstanceOfSatisfying(RequestErrorException.class,
                        e -> assertThat(e.turkErrorCode()).isEqualTo("AWS.Test"));
        client.associateQualificationWithWorker(associate("A1FINE", 1).build());

        assertThat(mturk.grants()).containsOnlyKeys(new Key(TYPE, "A1FINE"));
    }

    @Test
    void listQualificationTypesPagesAndFilters() {
        IntStream.rangeClosed(1, 4).forEach(i -> mturk.addType("3OWNED" + i, "Owned skill " + i, "Active", true));
        mturk.addType("3FOREIGN", "Foreign skill", "Active", false);
        mturk.addType(new FakeMTurk.QualificationTypeSpec("3SYSTEM", "System owned", "Active", true, false,
                Instant.now()));
        MTurkClient client = client();

        ListQualificationTypesResponse first = client.listQualificationTypes(
                r -> r.mustBeOwnedByCaller(true).mustBeRequestable(false).maxResults(2));
        assertThat(first.numResults()).isEqualTo(2);
        assertThat(first.nextToken()).isNotNull();
        assertThat(first.qualificationTypes()).extracting(QualificationType::qualificationTypeId)
                .containsExactly(TYPE, "3OWNED1");

        List<String> owned = client.listQualificationTypesPaginator(
                        r -> r.mustBeOwnedByCaller(true).mustBeRequestable(false).maxResults(2))
                .stream().flatMap(page -> page.qualificationTypes().stream())
                .map(QualificationType::qualificationTypeId).toList();
        assertThat(owned).containsExactly(TYPE, "3OWNED1", "3OWNED2", "3OWNED3", "3OWNED4", "3SYSTEM");
        assertThat(mturk.requestCount("ListQualificationTypes")).isEqualTo(1 + 3);

        List<String> requestable = client.listQualificationTypesPaginator(r -> r.mustBeRequestable(true))
                .stream().flatMap(page -> page.qualificationTypes().stream())
                .map(QualificationType::qualificationTypeId).toList();
        assertThat(requestable).contains("3FOREIGN").doesNotContain("3SYSTEM").hasSize(6);

        List<QualificationType> queried = client.listQualificationTypes(
                r -> r.mustBeRequestable(false).mustBeOwnedByCaller(true).query("skill 3")).qualificationTypes();
        assertThat(queried).singleElement().satisfies(type -> {
            assertThat(type.qualificationTypeId()).isEqualTo("3OWNED3");
            assertThat(type.name()).isEqualTo("Owned skill 3");
            assertThat(type.qualificationTypeStatusAsString()).isEqualTo("Active");
        });
    }

    @Test
    void listQualificationTypesRequiresMustBeRequestable() {
        MTurkException error = catchThrowableOfType(MTurkException.class,
                () -> noRetryClient().listQualificationTypes(r -> r.mustBeOwnedByCaller(true)));

        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ParameterValidationError");
    }

    @Test
    void getQualificationTypeAndAccountBalance() {
        MTurkClient client = client();

        QualificationType type = client.getQualificationType(r -> r.qualificationTypeId(TYPE)).qualificationType();

        assertThat(type.name()).isEqualTo("Owned skill");
        assertThat(type.qualificationTypeStatusAsString()).isEqualTo("Active");
        assertThat(type.isRequestable()).isTrue();
        assertThat(type.creationTime()).isNotNull();
        assertThat(client.getAccountBalance(r -> { }).availableBalance()).isEqualTo("10000.00");
        assertThatThrownBy(() -> client.getQualificationType(r -> r.qualificationTypeId("3NOSUCHTYPE")))
                .isInstanceOf(RequestErrorException.class);
    }

    @Test
    void pendingRequestsPageAndCanBeRejected() {
        IntStream.rangeClosed(1, 3).forEach(i -> mturk.addPendingRequest("REQ" + i, TYPE, "A1WORKER" + i));
        mturk.addType("3OTHER", "Other", "Active", true).addPendingRequest("REQX", "3OTHER", WORKER);
        MTurkClient client = client();

        List<String> ids = client.listQualificationRequestsPaginator(r -> r.qualificationTypeId(TYPE).maxResults(2))
                .stream().flatMap(page -> page.qualificationRequests().stream())
                .map(QualificationRequest::qualificationRequestId).toList();
        assertThat(ids).containsExactly("REQ1", "REQ2", "REQ3");
        assertThat(mturk.requestCount("ListQualificationRequests")).isEqualTo(2);

        client.rejectQualificationRequest(r -> r.qualificationRequestId("REQ2").reason("Not eligible"));

        assertThat(mturk.rejectedRequests()).singleElement().satisfies(rejected -> {
            assertThat(rejected.request().workerId()).isEqualTo("A1WORKER2");
            assertThat(rejected.reason()).isEqualTo("Not eligible");
        });
        assertThat(mturk.pendingRequests()).extracting(FakeMTurk.PendingRequest::requestId)
                .containsExactly("REQ1", "REQ3", "REQX");
        assertThatThrownBy(() -> client.rejectQualificationRequest(r -> r.qualificationRequestId("REQ2")))
                .isInstanceOf(RequestErrorException.class);
    }

    @Test
    void unsupportedOperationIsARequestError() {
        RequestErrorException error = catchThrowableOfType(RequestErrorException.class,
                () -> noRetryClient().listHITs(r -> { }));

        assertThat(error.awsErrorDetails().errorMessage()).contains("ListHITs");
        assertThat(mturk.requestCount("ListHITs")).isEqualTo(1);
    }

    @Test
    void aRejectedAccessKeyIsAnInvalidSignatureExceptionThatTheSdkDoesNotRetry() {
        mturk.rejectAccessKey(ACCESS_KEY);

        MTurkException error = catchThrowableOfType(MTurkException.class,
                () -> client().associateQualificationWithWorker(associate(WORKER, 1).build()));

        assertThat(error).isExactlyInstanceOf(MTurkException.class);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(mturk.requestCount(ASSOCIATE)).isEqualTo(1);
        assertThat(mturk.grants()).isEmpty();
        assertThat(mturk.associateCalls()).isEmpty();

        mturk.clearFaults().acceptOnlyAccessKey("AKIDOTHER");
        assertThatThrownBy(() -> client().getAccountBalance(r -> { }))
                .isInstanceOfSatisfying(MTurkException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidSignatureException"));
        assertThat(client(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOTHER", "s")), true)
                .getAccountBalance(r -> { }).availableBalance()).isEqualTo("10000.00");
    }

    @Test
    void anUnsignedRequestIsRefusedWith403() {
        MTurkException error = catchThrowableOfType(MTurkException.class,
                () -> client(AnonymousCredentialsProvider.create(), false).getAccountBalance(r -> { }));

        assertThat(error).isExactlyInstanceOf(MTurkException.class);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(error.statusCode()).isEqualTo(403);
    }

    @Test
    void concurrentCallsOverlap() throws Exception {
        mturk.serviceTime(Duration.ofMillis(200));
        MTurkClient client = client();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> calls = IntStream.range(0, 10)
                    .mapToObj(i -> pool.submit(() -> client.associateQualificationWithWorker(
                            associate("A1PARALLEL" + i, i).build())))
                    .collect(Collectors.toList());
            for (Future<?> call : calls) {
                call.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(mturk.maxInFlight()).isGreaterThanOrEqualTo(5);
        assertThat(mturk.grants()).hasSize(10);
    }

    /**
     * A connection the client keeps is kept: Java 17's HttpServer closed every connection beyond 200 idle ones as it
     * went idle, right after its answer, and a client that reused it met "The target server failed to respond",
     * which leaves a grant in doubt (stop 48: 8-18 such checks in a run at 300 connections, the run ~4 s longer).
     */
    @Test
    void manyKeptConnectionsStayOpen() throws Exception {
        mturk.serviceTime(Duration.ofMillis(100));
        MTurkClient client = build(mturk.endpoint(), defaultCredentials(), false, 260);
        ExecutorService pool = Executors.newFixedThreadPool(260);
        List<String> balances = new ArrayList<>();
        try {
            for (int round = 0; round < 2; round++) { // the second round reuses the first's 260 connections
                List<Future<String>> calls = IntStream.range(0, 260)
                        .mapToObj(i -> pool.submit(() -> client.getAccountBalance(b -> { }).availableBalance()))
                        .collect(Collectors.toList());
                for (Future<String> call : calls) {
                    balances.add(call.get(30, TimeUnit.SECONDS)); // "The target server failed to respond" fails here
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(balances).hasSize(520).containsOnly(FakeMTurk.BALANCE);
    }

    /**
     * A refusal is answered at once, as a service's front door does, also on a connection the client keeps and
     * reuses (the rate's feedback). Java 17's HttpServer writes an answer's headers and its body apart; without
     * TCP_NODELAY the body then waited for the client's delayed ACK, ~44 ms an answer on Linux (stop 48).
     */
    @Test
    void aRefusalOnAReusedConnectionIsAnsweredAtOnce() {
        mturk.rateLimit(0.001, 1.0);
        MTurkClient client = noRetryClient();
        client.associateQualificationWithWorker(associate(WORKER, 1).build()); // takes the bucket's one request
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long start = System.nanoTime();
            MTurkException refused = catchThrowableOfType(MTurkException.class,
                    () -> client.associateQualificationWithWorker(associate(WORKER, 1).build()));
            micros.add((System.nanoTime() - start) / 1_000);
            assertThat(refused.isThrottlingException()).isTrue();
        }
        List<Long> lastTwenty = micros.subList(5, 25).stream().sorted().toList(); // the first five warm the client
        assertThat(lastTwenty.get(10)).as("median µs of 20 refusals on one connection: %s", micros).isLessThan(20_000);
    }

    @Test
    void resetForgetsEverything() {
        mturk.rateLimit(1).failNext(5, 503);
        mturk.reset();
        mturk.addType(TYPE, "Owned skill", "Active", true);

        noRetryClient().associateQualificationWithWorker(associate(WORKER, 1).build());

        assertThat(mturk.grants()).hasSize(1);
        assertThat(mturk.associateCalls()).singleElement().extracting(AssociateCall::sequence).isEqualTo(1);
        assertThat(mturk.totalRequests()).isEqualTo(1);
    }

    @Test
    void runsStandaloneAndPrintsTotalsOnSigterm() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FakeMTurk.class.getName(), "--port", "0", "--rate", "100", "--service-time-ms", "1")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertThat(ready).startsWith("READY http://127.0.0.1:");
            MTurkClient client = client(URI.create(ready.substring("READY ".length())));

            client.associateQualificationWithWorker(associate(WORKER, 1).qualificationTypeId("3ANYTYPE").build());
            client.getAccountBalance(r -> { });
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout

            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out.lines().toList()).anySatisfy(line -> assertThat(line)
                    .startsWith("TOTALS requests=2 throttled=0 maxInFlight=1 grants=1"));
        } finally {
            process.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static AssociateQualificationWithWorkerRequest.Builder associate(String workerId, int value) {
        return AssociateQualificationWithWorkerRequest.builder()
                .qualificationTypeId(TYPE).workerId(workerId).integerValue(value);
    }

    private MTurkClient client() {
        return client(defaultCredentials(), true);
    }

    private MTurkClient noRetryClient() {
        return client(defaultCredentials(), false);
    }

    private static AwsCredentialsProvider defaultCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "fake-secret"));
    }

    private MTurkClient client(AwsCredentialsProvider credentials, boolean sdkRetries) {
        return build(mturk.endpoint(), credentials, sdkRetries, 32);
    }

    private MTurkClient client(URI endpoint) {
        return build(endpoint, defaultCredentials(), false, 32);
    }

    private MTurkClient build(URI endpoint, AwsCredentialsProvider credentials, boolean sdkRetries, int maxConnections) {
        MTurkClient client = MTurkClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(maxConnections))
                .overrideConfiguration(c -> {
                    if (!sdkRetries) {
                        c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                })
                .build();
        clients.add(client);
        return client;
    }
}
