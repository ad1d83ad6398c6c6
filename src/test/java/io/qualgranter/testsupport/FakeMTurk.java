package io.qualgranter.testsupport;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import net.minidev.json.parser.ParseException;

/**
 * A loopback stand-in for the Amazon Mechanical Turk Requester API (2017-01-17), for integration
 * tests and benchmarks. It speaks the protocol the AWS SDK speaks (JSON 1.1: {@code POST /},
 * {@code X-Amz-Target: MTurkRequesterServiceV20170117.<Operation>}, content type
 * {@code application/x-amz-json-1.1}), keeps grants in memory, counts everything and injects
 * faults on demand. Every setter may be called mid-test, from any thread.
 *
 * <pre>{@code
 * try (FakeMTurk mturk = FakeMTurk.start()) {
 *     mturk.addType("3TYPE", "Skilled", "Active", true);
 *     MTurkClient client = MTurkClient.builder().endpointOverride(mturk.endpoint())
 *             .region(Region.US_EAST_1)
 *             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKE", "secret")))
 *             .build();
 *     ...
 *     assertThat(mturk.grants()).containsEntry(new FakeMTurk.Key("3TYPE", "A1WORKER"), 1);
 * }
 * }</pre>
 *
 * <h2>Operations</h2>
 * {@code AssociateQualificationWithWorker}, {@code GetQualificationScore}, {@code GetAccountBalance}
 * ({@code "10000.00"}), {@code GetQualificationType}, {@code ListQualificationTypes} ({@code Query},
 * {@code MustBeRequestable} (required, as in the service model), {@code MustBeOwnedByCaller},
 * {@code MaxResults} 1–100, {@code NextToken}), {@code ListQualificationRequests}
 * ({@code QualificationTypeId}, paging), {@code RejectQualificationRequest} and
 * {@code ListWorkersWithQualificationType} (the grants it holds, paged). Any other operation
 * answers a 400 {@code RequestError} naming the operation.
 *
 * <p>Rules the fake applies: a worker id must match {@code ^A[A-Z0-9]{1,63}$} and, when
 * {@link #knownWorkers(Set)} was called, be one of those; a qualification type must have been added
 * with {@link #addType} (or {@link #acceptAnyType(boolean)} be on), be owned by the caller and be
 * {@code Active} to be granted; an absent {@code IntegerValue} grants 1 (the API default); an absent
 * {@code SendNotification} counts as a notification sent (the API default is {@code true}), but only
 * calls whose grant was applied notify anybody.
 *
 * <h2>What the SDK client sees (observed with {@code MTurkClient} 2.40.2, see FakeMTurkTest)</h2>
 * <table>
 * <caption>Answers and the exceptions they become</caption>
 * <tr><th>cause</th><th>HTTP</th><th>exception class</th><th>{@code awsErrorDetails().errorCode()}</th></tr>
 * <tr><td>unknown or malformed worker</td><td>400</td><td>{@code MTurkException} (not a subclass)</td>
 *     <td>{@code ParameterValidationError}</td></tr>
 * <tr><td>unknown, foreign or inactive type; no score for {@code GetQualificationScore}; unknown
 *     request id; unknown operation</td><td>400</td><td>{@code RequestErrorException}</td>
 *     <td>{@code RequestError}</td></tr>
 * <tr><td>{@link #rateLimit} exceeded</td><td>400</td><td>{@code MTurkException}
 *     ({@code isThrottlingException()} true)</td><td>{@code ThrottlingException}</td></tr>
 * <tr><td>{@link #failAssociateFromCall}, {@link #failNext}, {@link #applyThenFail} with 5xx</td>
 *     <td>500 / 503</td><td>{@code ServiceException}</td><td>{@code ServiceFault}</td></tr>
 * <tr><td>unsigned request or signature scoped to another region/service</td><td>403</td>
 *     <td>{@code MTurkException}</td><td>{@code InvalidSignatureException}</td></tr>
 * <tr><td>{@link #rejectAccessKey} / {@link #acceptOnlyAccessKey} (a wrong secret)</td><td>400</td>
 *     <td>{@code MTurkException}</td><td>{@code InvalidSignatureException}</td></tr>
 * </table>
 * A wrong secret is simulated as AWS JSON services report it ({@code InvalidSignatureException},
 * "The request signature we calculated does not match..."), not as a {@code RequestError}. The
 * SDK's default retry strategy (legacy mode, 4 attempts, when no {@code AWS_RETRY_MODE} /
 * {@code AWS_MAX_ATTEMPTS} is set) retries {@code ThrottlingException} and 5xx answers, so a
 * {@link #failNext} storm of up to 3 calls is invisible to the caller; it sends every other answer
 * above exactly once ({@code InvalidSignatureException} too: the fake's clock is the client's, so
 * the SDK sees no clock skew to correct).
 *
 * <h2>Fault injection on {@code AssociateQualificationWithWorker}</h2>
 * Checked in this order, each call numbered from 1 (since start or {@link #reset()}) whatever its
 * outcome: rate limit ({@link #rateLimit}), transient storm ({@link #failNext}), failure from a call
 * number on ({@link #failAssociateFromCall}), the {@link #onAssociate} hook, validation, then the
 * grant is applied and {@link #applyThenFail} may still answer 500. Nothing before "applied" changes
 * the grants. {@link #serviceTime} delays every operation but a throttled one. The rate limit is a token
 * bucket of {@code burst} requests refilled at the limit, taken from as the request arrives (before the
 * service time), as a service's front door throttles; a refused request is answered at once. A request
 * arrives when the server's dispatcher thread hands it to a handler thread, not when that thread gets to
 * run: on a busy machine with hundreds of handler threads the second is up to tens of ms later, and
 * requests sent evenly would be timed, and refused, as a burst.
 *
 * <h2>Standalone</h2>
 * {@code java -cp target/test-classes:<test classpath> io.qualgranter.testsupport.FakeMTurk
 * --port 0 --rate 5 --service-time-ms 50 [--burst B] [--threads N] [--type ID]... [--warm-up N]} prints {@code READY <url>}
 * (with {@code --warm-up}, after N requests of its own through the SDK and a {@link #reset()}: see {@link FakeMTurkWarmUp}),
 * serves until killed and prints a {@code TOTALS ...} line on exit; on the first request it prints
 * {@code FIRST_REQUEST <epoch millis> <operation>} (what {@code ops/bench-startup} times). Without {@code --type} every
 * syntactically valid type id is accepted as an active type of the caller's. The test classpath can
 * be written with {@code ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/test-classpath.txt}.
 */
public final class FakeMTurk implements AutoCloseable {

    /** The {@code X-Amz-Target} prefix of every MTurk operation. */
    public static final String TARGET_PREFIX = "MTurkRequesterServiceV20170117.";
    /** The only content type the fake accepts and sends. */
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** What {@code GetAccountBalance} answers. */
    public static final String BALANCE = "10000.00";

    /**
     * Java 17's HttpServer writes an answer's headers and its body apart, and reads this property once, when its first
     * server starts. Without it the body waits for the client's delayed ACK on every reused connection: ~44 ms an
     * answer, refusals included, where a service answers at once (stop 48: every benchmark before it had that lag in
     * the rate's feedback). Set here unless set already ({@code -Dsun.net.httpserver.nodelay=false} brings the lag back).
     */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";
    /**
     * Read at the same time: Java 17's HttpServer closes every connection beyond this many idle ones (200 by default)
     * as it goes idle, right after its answer, where a service keeps what the client keeps. A client that reused
     * one met "The target server failed to respond", a grant in doubt (stop 48, 300 connections at 500/s).
     */
    static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    static {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "100000");
        }
    }

    static final String ASSOCIATE = "AssociateQualificationWithWorker";
    private static final int DEFAULT_THREADS = 64;
    private static final int MAX_PAGE = 100;
    private static final Pattern WORKER_ID = Pattern.compile("A[A-Z0-9]{1,63}");
    private static final Pattern TYPE_ID = Pattern.compile("[A-Z0-9]{1,64}");
    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request");
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match "
            + "the signature you provided. Check your AWS Secret Access Key and signing method. "
            + "Consult the service documentation for details.";

    /** A (qualification type, worker) pair, the key of {@link #grants()}. */
    public record Key(String qualificationTypeId, String workerId) {
    }

    /**
     * One {@code AssociateQualificationWithWorker} request as received, whatever its outcome.
     *
     * @param sequence         1-based number among the Associate calls since start or reset
     * @param integerValue     as sent; {@code null} when absent (the service then grants 1)
     * @param sendNotification as sent; {@code null} when absent (the service then notifies)
     * @param accessKeyId      the access key id of the request's signature
     */
    public record AssociateCall(int sequence, String workerId, String qualificationTypeId, Integer integerValue,
            Boolean sendNotification, String accessKeyId) {

        public Key key() {
            return new Key(qualificationTypeId, workerId);
        }

        /** Whether the worker would be mailed: {@code SendNotification} true or absent. */
        public boolean notifies() {
            return sendNotification == null || sendNotification;
        }

        int valueToGrant() {
            return integerValue == null ? 1 : integerValue;
        }
    }

    /** A qualification type the fake knows. */
    public record QualificationTypeSpec(String id, String name, String status, boolean ownedByCaller,
            boolean requestable, Instant creationTime) {

        public boolean active() {
            return "Active".equals(status);
        }
    }

    /** A worker's pending qualification request. */
    public record PendingRequest(String requestId, String qualificationTypeId, String workerId, Instant submitTime) {
    }

    /** A pending request that {@code RejectQualificationRequest} removed. */
    public record RejectedRequest(PendingRequest request, String reason) {
    }

    private record Grant(int value, Instant grantTime) {
    }

    private record Page<T>(List<T> items, String nextToken) {
    }

    /** A parsed request: operation name, JSON body, and the access key id that signed it. */
    /** One request; {@code overLimit}: the rate limit refused it when it arrived (Associate calls only). */
    private record Call(String operation, Map<String, Object> body, String accessKeyId, boolean overLimit) {
    }

    /** Thrown by validation deep in a handler to answer an error at once. */
    private static final class Answer extends RuntimeException {
        private final FakeResponse response;

        Answer(FakeResponse response) {
            super(response.body(), null, false, false);
            this.response = response;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock = new Object();

    // State, guarded by lock.
    private final Map<Key, Grant> grants = new LinkedHashMap<>();
    private final List<AssociateCall> associateCalls = new ArrayList<>();
    private final Map<String, QualificationTypeSpec> types = new LinkedHashMap<>();
    private final Map<String, PendingRequest> pendingRequests = new LinkedHashMap<>();
    private final List<RejectedRequest> rejectedRequests = new ArrayList<>();
    private Set<String> knownWorkers;
    private boolean acceptAnyType;
    private int associateSequence;

    // Faults, guarded by lock.
    private TokenBucket rateLimit;
    private int failFromCall;
    private int failFromStatus;
    private int failNextRemaining;
    private int failNextStatus;
    private int applyThenFailRemaining;
    private int applyLateRemaining;
    /** Injected answers for other operations: operation → [remaining count, answer]. */
    private final Map<String, Map.Entry<AtomicInteger, FakeResponse>> operationFaults = new HashMap<>();
    /** Grants answered 500 whose effect shows only after the service's next read of the pair. */
    private final Map<Key, AssociateCall> lateGrants = new HashMap<>();
    private java.util.Random faultRandom;
    private double serviceFaultShare;
    private double lostAnswerShare;
    private Function<AssociateCall, Optional<FakeResponse>> associateHook;
    private int holdAnswersFrom;
    private CountDownLatch holdAnswers;
    private final Set<String> rejectedAccessKeys = new HashSet<>();
    private String onlyAccessKey;

    private volatile Duration serviceTime = Duration.ZERO;

    // Counters.
    private final Map<String, AtomicInteger> requestsByOperation = new ConcurrentHashMap<>();
    private final Map<Key, AtomicInteger> associateCountByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> notificationsByWorker = new ConcurrentHashMap<>();
    private final Set<String> accessKeyIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger totalRequests = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong firstRequestEpochMillis = new AtomicLong();
    private final AtomicLong firstAssociateNanos = new AtomicLong();
    private final AtomicLong lastAppliedNanos = new AtomicLong();
    private final AtomicLong lastIntakeNanos = new AtomicLong();
    private volatile Consumer<String> firstRequestListener;
    private volatile ObjLongConsumer<String> requestListener;
    /** When the request being handled on this thread arrived (see the constructor). */
    private static final ThreadLocal<Long> ARRIVED = new ThreadLocal<>();

    private FakeMTurk(int port, int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        executor = Executors.newFixedThreadPool(threads, daemonThreads());
        // a request arrives when the dispatcher hands it to a handler thread (see the class comment)
        server.setExecutor(exchange -> {
            long arrived = System.nanoTime();
            executor.execute(() -> {
                ARRIVED.set(arrived);
                try {
                    exchange.run();
                } finally {
                    ARRIVED.remove();
                }
            });
        });
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on an ephemeral port of 127.0.0.1 with 64 handler threads. */
    public static FakeMTurk start() {
        return start(0);
    }

    /** Starts a fake on the given port of 127.0.0.1 (0: ephemeral) with 64 handler threads. */
    public static FakeMTurk start(int port) {
        return start(port, DEFAULT_THREADS);
    }

    /**
     * Starts a fake with {@code threads} handler threads: at most that many requests are served at once
     * (a benchmark at 500 requests/s with 300 ms answers needs more than 150).
     */
    public static FakeMTurk start(int port, int threads) {
        try {
            return new FakeMTurk(port, threads);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start FakeMTurk on port " + port, e);
        }
    }

    /** The URL to give the SDK's {@code endpointOverride} (or the granter's {@code --endpoint-url}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- setup

    /** Adds (or replaces) a requestable qualification type; {@code status} is "Active" or "Inactive". */
    public FakeMTurk addType(String id, String name, String status, boolean ownedByCaller) {
        return addType(new QualificationTypeSpec(id, name, status, ownedByCaller, true, Instant.now()));
    }

    /** Adds (or replaces) a qualification type. */
    public FakeMTurk addType(QualificationTypeSpec type) {
        synchronized (lock) {
            types.put(type.id(), type);
        }
        return this;
    }

    /** When on, any syntactically valid type id that was not added is an active type of the caller's. */
    public FakeMTurk acceptAnyType(boolean accept) {
        synchronized (lock) {
            acceptAnyType = accept;
        }
        return this;
    }

    /** Restricts the workers the service knows; the others get {@code ParameterValidationError}. */
    public FakeMTurk knownWorkers(Set<String> workerIds) {
        synchronized (lock) {
            knownWorkers = Set.copyOf(workerIds);
        }
        return this;
    }

    /** Knows every syntactically valid worker again (the default). */
    public FakeMTurk allWorkersKnown() {
        synchronized (lock) {
            knownWorkers = null;
        }
        return this;
    }

    /** Seeds a grant, as if an earlier run (or the requester's website) had made it. */
    public FakeMTurk putGrant(String qualificationTypeId, String workerId, int integerValue) {
        synchronized (lock) {
            grants.put(new Key(qualificationTypeId, workerId), new Grant(integerValue, Instant.now()));
        }
        return this;
    }

    /** Seeds a worker's pending qualification request. */
    public FakeMTurk addPendingRequest(String requestId, String qualificationTypeId, String workerId) {
        synchronized (lock) {
            pendingRequests.put(requestId, new PendingRequest(requestId, qualificationTypeId, workerId, Instant.now()));
        }
        return this;
    }

    // ---------------------------------------------------------------- faults

    /** Delays every call by a random time between half and one and a half times {@code mean}. */
    public FakeMTurk serviceTime(Duration mean) {
        serviceTime = Objects.requireNonNull(mean);
        return this;
    }

    /** Token bucket over Associate calls, burst one second's worth (at least 1); beyond it 400 ThrottlingException. */
    public FakeMTurk rateLimit(double permitsPerSecond) {
        return rateLimit(permitsPerSecond, Math.max(1.0, permitsPerSecond));
    }

    /** Token bucket over Associate calls with the given burst (bucket size, at least 1). */
    public FakeMTurk rateLimit(double permitsPerSecond, double burst) {
        if (!(permitsPerSecond > 0) || !(burst >= 1)) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        synchronized (lock) {
            rateLimit = new TokenBucket(permitsPerSecond, burst);
        }
        return this;
    }

    /** Removes the rate limit. */
    public FakeMTurk noRateLimit() {
        synchronized (lock) {
            rateLimit = null;
        }
        return this;
    }

    /**
     * Associate calls number {@code n} and later (counted from start or reset) answer
     * {@code httpStatus} (500: {@code ServiceFault}; 503: {@code ServiceFault} with 503) without
     * applying the grant, until {@link #clearFaults()}.
     */
    public FakeMTurk failAssociateFromCall(int n, int httpStatus) {
        synchronized (lock) {
            failFromCall = n;
            failFromStatus = httpStatus;
        }
        return this;
    }

    /** The next {@code count} Associate calls answer {@code httpStatus} without applying (a 503 storm). */
    public FakeMTurk failNext(int count, int httpStatus) {
        synchronized (lock) {
            failNextRemaining = count;
            failNextStatus = httpStatus;
        }
        return this;
    }

    /** The next {@code count} Associate calls that would succeed apply the grant, then answer 500 (a lost response). */
    public FakeMTurk applyThenFail(int count) {
        synchronized (lock) {
            applyThenFailRemaining = count;
        }
        return this;
    }

    /**
     * The next {@code count} Associate calls that would succeed answer 500 and are applied late: the
     * grant (and its notification) takes effect just after the next GetQualificationScore of that pair
     * has answered "no such qualification" (a write the service's reads show only a moment later).
     */
    public FakeMTurk applyLate(int count) {
        synchronized (lock) {
            applyLateRemaining = count;
        }
        return this;
    }

    /**
     * The next {@code count} requests of {@code operation} (any but Associate; see {@link #failNext} for
     * it) get {@code answer} instead of their own, after the rate limit; until {@link #clearFaults()}.
     */
    public FakeMTurk failOperation(String operation, int count, FakeResponse answer) {
        synchronized (lock) {
            operationFaults.put(operation, Map.entry(new AtomicInteger(count), answer));
        }
        return this;
    }

    /**
     * Seeded random faults on Associate calls: a share answered 500 ServiceFault without applying the
     * grant, and a share applied and then answered 500 (the answer is lost). {@link #clearFaults} ends them.
     */
    public FakeMTurk randomFaults(long seed, double serviceFaultShare, double lostAnswerShare) {
        synchronized (lock) {
            this.faultRandom = new java.util.Random(seed);
            this.serviceFaultShare = serviceFaultShare;
            this.lostAnswerShare = lostAnswerShare;
        }
        return this;
    }

    /**
     * A hook asked about every Associate call that passed the rate limit and the other faults: a
     * response it returns is sent instead, without applying the grant. Runs under the fake's
     * lock, so it sees calls one at a time; keep it quick.
     */
    public FakeMTurk onAssociate(Function<AssociateCall, Optional<FakeResponse>> hook) {
        synchronized (lock) {
            associateHook = hook;
        }
        return this;
    }

    /**
     * Associate calls from number {@code fromCall} on are handled as usual (grant applied or not) but
     * their answers are held, outside the fake's lock, until {@code release} opens: a run that stays
     * live for as long as a test needs, while the fake answers everyone else.
     */
    public FakeMTurk holdAssociateAnswersFrom(int fromCall, CountDownLatch release) {
        synchronized (lock) {
            holdAnswersFrom = fromCall;
            holdAnswers = release;
        }
        return this;
    }

    /** Requests signed with this access key id answer 400 InvalidSignatureException (a wrong secret). */
    public FakeMTurk rejectAccessKey(String accessKeyId) {
        synchronized (lock) {
            rejectedAccessKeys.add(accessKeyId);
        }
        return this;
    }

    /** Requests signed with any other access key id answer 400 InvalidSignatureException. */
    public FakeMTurk acceptOnlyAccessKey(String accessKeyId) {
        synchronized (lock) {
            onlyAccessKey = accessKeyId;
        }
        return this;
    }

    /**
     * Removes the injected faults: {@link #failAssociateFromCall}, {@link #failNext},
     * {@link #applyThenFail}, {@link #onAssociate} and the access key rules. Rate limit and service
     * time stay (see {@link #noRateLimit()}, {@code serviceTime(Duration.ZERO)}).
     */
    public FakeMTurk clearFaults() {
        synchronized (lock) {
            failFromCall = 0;
            failNextRemaining = 0;
            applyThenFailRemaining = 0;
            applyLateRemaining = 0;
            operationFaults.clear();
            faultRandom = null;
            associateHook = null;
            rejectedAccessKeys.clear();
            onlyAccessKey = null;
        }
        return this;
    }

    /** Back to a freshly started fake: no types, grants, requests, faults, limits or counts. */
    public void reset() {
        synchronized (lock) {
            clearFaults();
            rateLimit = null;
            serviceTime = Duration.ZERO;
            grants.clear();
            lateGrants.clear();
            associateCalls.clear();
            types.clear();
            pendingRequests.clear();
            rejectedRequests.clear();
            knownWorkers = null;
            acceptAnyType = false;
            associateSequence = 0;
            firstAssociateNanos.set(0);
            firstRequestEpochMillis.set(0);
            lastAppliedNanos.set(0);
            lastIntakeNanos.set(0);
            requestsByOperation.clear();
            associateCountByKey.clear();
            notificationsByWorker.clear();
            accessKeyIds.clear();
            totalRequests.set(0);
            throttled.set(0);
            maxInFlight.set(inFlight.get());
        }
    }

    // ---------------------------------------------------------------- accessors

    /** The scores granted so far (applied grants and seeds), by (type, worker). */
    public Map<Key, Integer> grants() {
        synchronized (lock) {
            Map<Key, Integer> copy = new LinkedHashMap<>();
            grants.forEach((key, grant) -> copy.put(key, grant.value()));
            return Collections.unmodifiableMap(copy);
        }
    }

    /** Every Associate call received, in arrival order, including throttled and failed ones. */
    public List<AssociateCall> associateCalls() {
        synchronized (lock) {
            return List.copyOf(associateCalls);
        }
    }

    /** Associate calls received for one (type, worker) pair, whatever their outcome. */
    public int associateCount(String qualificationTypeId, String workerId) {
        AtomicInteger count = associateCountByKey.get(new Key(qualificationTypeId, workerId));
        return count == null ? 0 : count.get();
    }

    /** Requests received for an operation (e.g. "AssociateQualificationWithWorker"), whatever their outcome. */
    public int requestCount(String operation) {
        AtomicInteger count = requestsByOperation.get(operation);
        return count == null ? 0 : count.get();
    }

    /** Requests received by operation. */
    public Map<String, Integer> requestCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        requestsByOperation.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    /** All requests received. */
    public int totalRequests() {
        return totalRequests.get();
    }

    /** The most requests that were inside the handler at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Associate calls answered with ThrottlingException. */
    public int throttledCount() {
        return throttled.get();
    }

    /** Notifications the service would have mailed this worker (applied grants, SendNotification true or absent). */
    public int notificationsSent(String workerId) {
        AtomicInteger count = notificationsByWorker.get(workerId);
        return count == null ? 0 : count.get();
    }

    /** Access key ids seen in request signatures. */
    public Set<String> accessKeyIds() {
        return Set.copyOf(accessKeyIds);
    }

    /** Pending qualification requests still open. */
    public List<PendingRequest> pendingRequests() {
        synchronized (lock) {
            return List.copyOf(pendingRequests.values());
        }
    }

    /** Requests removed by {@code RejectQualificationRequest}, with the reason sent. */
    public List<RejectedRequest> rejectedRequests() {
        synchronized (lock) {
            return List.copyOf(rejectedRequests);
        }
    }

    /** When the first request of any operation arrived (wall clock), if one has; for start-up benchmarks. */
    public Optional<Instant> firstRequestTime() {
        long millis = firstRequestEpochMillis.get();
        return millis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** One line with the totals, as the standalone process prints it on exit. */
    public String totalsLine() {
        return "TOTALS requests=" + totalRequests() + " throttled=" + throttledCount() + " maxInFlight="
                + maxInFlight() + " grants=" + grants().size() + " grantSpanMs=" + grantSpan().toMillis()
                + " intakeSpanMicros=" + intakeSpan().toNanos() / 1000
                + " byOperation=" + requestCounts();
    }

    /**
     * From the first Associate call's arrival to the last grant applied (zero before any): grants ÷ this
     * is the goodput the service saw, whatever the client did before and after.
     */
    public Duration grantSpan() {
        long first = firstAssociateNanos.get();
        long last = lastAppliedNanos.get();
        return first == 0 || last == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, last - first));
    }

    /**
     * From the first Associate call's arrival to the arrival of the last one let in (not throttled; zero
     * before any): the rate at which the service took requests in, without the last answer's service time.
     */
    public Duration intakeSpan() {
        long first = firstAssociateNanos.get();
        long last = lastIntakeNanos.get();
        return first == 0 || last == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, last - first));
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            FakeResponse response;
            try {
                response = answer(exchange, exchange.getRequestBody().readAllBytes());
            } finally {
                // before the answer goes out: once it is received, the caller's next request may arrive at
                // once, and counting both would show one call more in flight than the caller ever had
                inFlight.decrementAndGet();
            }
            send(exchange, response);
        }
    }

    private FakeResponse answer(HttpExchange exchange, byte[] body) {
        String operation = operationOf(exchange);
        if (firstRequestEpochMillis.compareAndSet(0, System.currentTimeMillis()) && firstRequestListener != null) {
            firstRequestListener.accept(operation);
        }
        totalRequests.incrementAndGet();
        requestsByOperation.computeIfAbsent(operation, op -> new AtomicInteger()).incrementAndGet();
        // the limit is applied as the request arrives, as a service's front door does, and a refused
        // request is answered at once: the service time is the work of requests let in
        long arrived = ARRIVED.get(); // set by the server's executor, which runs every exchange
        if (ASSOCIATE.equals(operation)) {
            firstAssociateNanos.compareAndSet(0, arrived);
        }
        boolean overLimit = ASSOCIATE.equals(operation) && overLimit(arrived);
        if (ASSOCIATE.equals(operation) && !overLimit) {
            lastIntakeNanos.accumulateAndGet(arrived, Math::max);
        }
        if (requestListener != null) {
            requestListener.accept(overLimit ? operation + " THROTTLED" : operation, arrived);
        }
        if (!overLimit) {
            simulateServiceTime();
        }
        try {
            String accessKeyId = authenticate(exchange);
            checkProtocol(exchange, operation);
            return dispatch(new Call(operation, parse(body), accessKeyId, overLimit));
        } catch (Answer answer) {
            return answer.response;
        } catch (RuntimeException e) {
            return FakeResponse.serviceFault(500, "FakeMTurk failed: " + e);
        }
    }

    private static String operationOf(HttpExchange exchange) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null) {
            return "(no X-Amz-Target)";
        }
        return target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
    }

    private static void checkProtocol(HttpExchange exchange, String operation) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())) {
            throw new Answer(FakeResponse.requestError("Only POST / is served, not "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI(), "AWS.BadRequest"));
        }
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new Answer(FakeResponse.requestError("Unknown X-Amz-Target " + operation, "AWS.BadRequest"));
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
            throw new Answer(FakeResponse.requestError("Unsupported content type " + contentType, "AWS.BadRequest"));
        }
    }

    /** Checks the SigV4 Authorization header and the access key rules; returns the access key id. */
    private String authenticate(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            throw new Answer(FakeResponse.invalidSignature(403, "Missing or non-SigV4 Authorization header."));
        }
        Matcher credential = CREDENTIAL.matcher(authorization);
        if (!credential.find()) {
            throw new Answer(FakeResponse.invalidSignature(403, "Malformed Credential in Authorization header."));
        }
        String accessKeyId = credential.group(1);
        String scope = credential.group(3) + "/" + credential.group(4);
        if (!"us-east-1/mturk-requester".equals(scope)) {
            throw new Answer(FakeResponse.invalidSignature(403,
                    "Credential should be scoped to us-east-1/mturk-requester, not " + scope + "."));
        }
        accessKeyIds.add(accessKeyId);
        synchronized (lock) {
            boolean refused = rejectedAccessKeys.contains(accessKeyId)
                    || (onlyAccessKey != null && !onlyAccessKey.equals(accessKeyId));
            if (refused) {
                throw new Answer(FakeResponse.invalidSignature(400, SIGNATURE_MISMATCH));
            }
        }
        return accessKeyId;
    }

    private static Map<String, Object> parse(byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        try {
            Object parsed = new JSONParser(JSONParser.MODE_RFC4627).parse(new String(body, StandardCharsets.UTF_8));
            if (parsed instanceof JSONObject object) {
                return object;
            }
        } catch (ParseException e) {
            // answered below
        }
        throw new Answer(FakeResponse.error(400, "SerializationException", "The request body is not a JSON object."));
    }

    private static void send(HttpExchange exchange, FakeResponse response) throws IOException {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(response.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void simulateServiceTime() {
        long meanNanos = serviceTime.toNanos();
        if (meanNanos <= 0) {
            return;
        }
        long nanos = meanNanos / 2 + ThreadLocalRandom.current().nextLong(meanNanos + 1);
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FakeResponse dispatch(Call call) {
        synchronized (lock) {
            Map.Entry<AtomicInteger, FakeResponse> fault = operationFaults.get(call.operation());
            if (fault != null && fault.getKey().getAndDecrement() > 0) {
                return fault.getValue();
            }
        }
        return switch (call.operation()) {
            case ASSOCIATE -> associate(call);
            case "GetQualificationScore" -> getQualificationScore(call.body());
            case "GetAccountBalance" -> FakeResponse.ok(Map.of("AvailableBalance", BALANCE));
            case "GetQualificationType" -> getQualificationType(call.body());
            case "ListQualificationTypes" -> listQualificationTypes(call.body());
            case "ListQualificationRequests" -> listQualificationRequests(call.body());
            case "ListWorkersWithQualificationType" -> listWorkersWithQualificationType(call.body());
            case "RejectQualificationRequest" -> rejectQualificationRequest(call.body());
            default -> FakeResponse.requestError("FakeMTurk does not support the operation " + call.operation()
                    + ".", "AWS.UnsupportedOperation");
        };
    }

    // ---------------------------------------------------------------- operations

    /** Takes a token from the rate limit's bucket, if there is a limit; true when the bucket is empty. */
    private boolean overLimit(long arrived) {
        synchronized (lock) {
            return rateLimit != null && !rateLimit.tryAcquire(arrived);
        }
    }

    private FakeResponse associate(Call request) {
        Map<String, Object> body = request.body();
        AssociateCall call;
        FakeResponse response;
        CountDownLatch hold;
        synchronized (lock) {
            call = new AssociateCall(++associateSequence, optionalText(body, "WorkerId"),
                    optionalText(body, "QualificationTypeId"), integer(body, "IntegerValue"),
                    bool(body, "SendNotification"), request.accessKeyId());
            associateCalls.add(call);
            associateCountByKey.computeIfAbsent(call.key(), key -> new AtomicInteger()).incrementAndGet();
            response = answer(call, request.overLimit());
            hold = holdAnswers != null && call.sequence() >= holdAnswersFrom ? holdAnswers : null;
        }
        if (hold != null) {
            try {
                hold.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return response;
    }

    /** The answer to one Associate call, its grant applied or not. Called under lock. */
    private FakeResponse answer(AssociateCall call, boolean overLimit) {
        Optional<FakeResponse> fault = injectedFault(call, overLimit);
        if (fault.isPresent()) {
            return fault.get();
        }
        QualificationTypeSpec type = grantableType(call.qualificationTypeId());
        checkWorker(call.workerId());
        if (applyLateRemaining > 0) {
            applyLateRemaining--;
            lateGrants.put(new Key(type.id(), call.workerId()), call);
            return FakeResponse.serviceFault(500, "Injected fault: the grant will be applied late.");
        }
        apply(call, type);
        if (applyThenFailRemaining > 0) {
            applyThenFailRemaining--;
            return FakeResponse.serviceFault(500, "Injected fault after the grant was applied.");
        }
        if (faultRandom != null && faultRandom.nextDouble() < lostAnswerShare) {
            return FakeResponse.serviceFault(500, "Injected random fault after the grant was applied.");
        }
        return FakeResponse.emptyOk();
    }

    /** The faults checked before validation, in the documented order. Called under lock. */
    private Optional<FakeResponse> injectedFault(AssociateCall call, boolean overLimit) {
        if (overLimit) {
            throttled.incrementAndGet();
            return Optional.of(FakeResponse.throttling());
        }
        if (failNextRemaining > 0) {
            failNextRemaining--;
            return Optional.of(FakeResponse.fault(failNextStatus, "Injected transient fault."));
        }
        if (faultRandom != null && faultRandom.nextDouble() < serviceFaultShare) {
            return Optional.of(FakeResponse.serviceFault(500, "Injected random fault."));
        }
        if (failFromCall > 0 && call.sequence() >= failFromCall) {
            return Optional.of(FakeResponse.fault(failFromStatus, "Injected fault from call " + failFromCall + "."));
        }
        return associateHook == null ? Optional.empty() : associateHook.apply(call);
    }

    private void apply(AssociateCall call, QualificationTypeSpec type) {
        lastAppliedNanos.set(System.nanoTime());
        grants.put(new Key(type.id(), call.workerId()), new Grant(call.valueToGrant(), Instant.now()));
        if (call.notifies()) {
            notificationsByWorker.computeIfAbsent(call.workerId(), worker -> new AtomicInteger()).incrementAndGet();
        }
    }

    private FakeResponse getQualificationScore(Map<String, Object> body) {
        String workerId = requiredText(body, "WorkerId");
        synchronized (lock) {
            QualificationTypeSpec type = ownedType(requiredText(body, "QualificationTypeId"));
            Key key = new Key(type.id(), workerId);
            Grant grant = grants.get(key);
            AssociateCall late = lateGrants.remove(key);
            if (late != null) {
                apply(late, type); // visible from the next read on
            }
            if (grant == null) {
                throw new Answer(FakeResponse.requestError("You requested a Qualification that does not exist.",
                        "AWS.MechanicalTurk.QualificationDoesNotExist"));
            }
            Map<String, Object> qualification = new LinkedHashMap<>();
            qualification.put("QualificationTypeId", type.id());
            qualification.put("WorkerId", workerId);
            qualification.put("GrantTime", epochSeconds(grant.grantTime()));
            qualification.put("IntegerValue", grant.value());
            qualification.put("Status", "Granted");
            return FakeResponse.ok(Map.of("Qualification", qualification));
        }
    }

    private FakeResponse getQualificationType(Map<String, Object> body) {
        synchronized (lock) {
            QualificationTypeSpec type = knownType(requiredText(body, "QualificationTypeId"));
            return FakeResponse.ok(Map.of("QualificationType", typeJson(type)));
        }
    }

    private FakeResponse listQualificationTypes(Map<String, Object> body) {
        Boolean mustBeRequestable = bool(body, "MustBeRequestable");
        if (mustBeRequestable == null) {
            throw new Answer(FakeResponse.parameterValidation("MustBeRequestable", null));
        }
        boolean mustBeOwned = Boolean.TRUE.equals(bool(body, "MustBeOwnedByCaller"));
        String query = optionalText(body, "Query");
        List<QualificationTypeSpec> matching;
        synchronized (lock) {
            matching = types.values().stream()
                    .filter(type -> !mustBeOwned || type.ownedByCaller())
                    .filter(type -> !mustBeRequestable || type.requestable())
                    .filter(type -> query == null || containsIgnoreCase(type.name(), query))
                    .toList();
        }
        Page<QualificationTypeSpec> page = page(matching, body);
        return FakeResponse.ok(pageJson(page, "QualificationTypes",
                page.items().stream().map(FakeMTurk::typeJson).toList()));
    }

    private FakeResponse listQualificationRequests(Map<String, Object> body) {
        String typeId = optionalText(body, "QualificationTypeId");
        List<PendingRequest> matching;
        synchronized (lock) {
            if (typeId != null) {
                ownedType(typeId);
            }
            matching = pendingRequests.values().stream()
                    .filter(request -> typeId == null || typeId.equals(request.qualificationTypeId()))
                    .toList();
        }
        Page<PendingRequest> page = page(matching, body);
        return FakeResponse.ok(pageJson(page, "QualificationRequests",
                page.items().stream().map(FakeMTurk::requestJson).toList()));
    }

    /** The holders of an owned type, in the order they were granted (so paging is stable while grants are added). */
    private FakeResponse listWorkersWithQualificationType(Map<String, Object> body) {
        String typeId = requiredText(body, "QualificationTypeId");
        String status = optionalText(body, "Status");
        List<Map<String, Object>> holders = new ArrayList<>();
        synchronized (lock) {
            QualificationTypeSpec type = ownedType(typeId);
            if (status == null || "Granted".equals(status)) {
                grants.forEach((key, grant) -> {
                    if (key.qualificationTypeId().equals(type.id())) {
                        Map<String, Object> qualification = new LinkedHashMap<>();
                        qualification.put("QualificationTypeId", type.id());
                        qualification.put("WorkerId", key.workerId());
                        qualification.put("GrantTime", epochSeconds(grant.grantTime()));
                        qualification.put("IntegerValue", grant.value());
                        qualification.put("Status", "Granted");
                        holders.add(qualification);
                    }
                });
            }
        }
        Page<Map<String, Object>> page = page(holders, body);
        return FakeResponse.ok(pageJson(page, "Qualifications", page.items()));
    }

    private FakeResponse rejectQualificationRequest(Map<String, Object> body) {
        String requestId = requiredText(body, "QualificationRequestId");
        String reason = optionalText(body, "Reason");
        synchronized (lock) {
            PendingRequest request = pendingRequests.remove(requestId);
            if (request == null) {
                throw new Answer(FakeResponse.requestError("Qualification request " + requestId + " does not exist.",
                        "AWS.MechanicalTurk.QualificationRequestDoesNotExist"));
            }
            rejectedRequests.add(new RejectedRequest(request, reason));
            return FakeResponse.emptyOk();
        }
    }

    // ---------------------------------------------------------------- validation (under lock)

    private QualificationTypeSpec knownType(String typeId) {
        QualificationTypeSpec type = types.get(typeId);
        if (type == null && acceptAnyType && TYPE_ID.matcher(typeId).matches()) {
            return new QualificationTypeSpec(typeId, "Type " + typeId, "Active", true, true, Instant.EPOCH);
        }
        if (type == null) {
            throw new Answer(FakeResponse.requestError("You requested a Qualification type that does not exist. ("
                    + typeId + ")", "AWS.MechanicalTurk.QualificationTypeDoesNotExist"));
        }
        return type;
    }

    private QualificationTypeSpec ownedType(String typeId) {
        QualificationTypeSpec type = knownType(typeId);
        if (!type.ownedByCaller()) {
            throw new Answer(FakeResponse.requestError("You do not own the Qualification type " + typeId + ".",
                    "AWS.MechanicalTurk.NotYourQualificationType"));
        }
        return type;
    }

    private QualificationTypeSpec grantableType(String typeId) {
        if (typeId == null) {
            throw new Answer(FakeResponse.parameterValidation("QualificationTypeId", null));
        }
        QualificationTypeSpec type = ownedType(typeId);
        if (!type.active()) {
            throw new Answer(FakeResponse.requestError("Qualification type " + typeId + " is not active.",
                    "AWS.MechanicalTurk.QualificationTypeNotActive"));
        }
        return type;
    }

    private void checkWorker(String workerId) {
        boolean known = workerId != null && WORKER_ID.matcher(workerId).matches()
                && (knownWorkers == null || knownWorkers.contains(workerId));
        if (!known) {
            throw new Answer(FakeResponse.parameterValidation("WorkerId", workerId));
        }
    }

    // ---------------------------------------------------------------- request fields

    private static String requiredText(Map<String, Object> body, String field) {
        String value = optionalText(body, field);
        if (value == null) {
            throw new Answer(FakeResponse.parameterValidation(field, null));
        }
        return value;
    }

    private static String optionalText(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new Answer(FakeResponse.parameterValidation(field, value));
    }

    private static Integer integer(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null || value instanceof Integer) {
            return (Integer) value;
        }
        throw new Answer(FakeResponse.parameterValidation(field, value));
    }

    private static Boolean bool(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new Answer(FakeResponse.parameterValidation(field, value));
    }

    // ---------------------------------------------------------------- paging and JSON

    private static <T> Page<T> page(List<T> all, Map<String, Object> body) {
        Integer maxResults = integer(body, "MaxResults");
        int size = maxResults == null ? MAX_PAGE : maxResults;
        if (size < 1 || size > MAX_PAGE) {
            throw new Answer(FakeResponse.parameterValidation("MaxResults", maxResults));
        }
        int from = offsetOf(optionalText(body, "NextToken"), all.size());
        int to = Math.min(all.size(), from + size);
        String next = to < all.size() ? tokenFor(to) : null;
        return new Page<>(List.copyOf(all.subList(from, to)), next);
    }

    private static String tokenFor(int offset) {
        return Base64.getUrlEncoder().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offsetOf(String token, int size) {
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("offset:")) {
                int offset = Integer.parseInt(decoded.substring("offset:".length()));
                if (offset >= 0 && offset <= size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new Answer(FakeResponse.parameterValidation("NextToken", token));
    }

    private static Map<String, Object> pageJson(Page<?> page, String listName, List<Map<String, Object>> items) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("NumResults", items.size());
        if (page.nextToken() != null) {
            json.put("NextToken", page.nextToken());
        }
        json.put(listName, items);
        return json;
    }

    private static Map<String, Object> typeJson(QualificationTypeSpec type) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("QualificationTypeId", type.id());
        json.put("CreationTime", epochSeconds(type.creationTime()));
        json.put("Name", type.name());
        json.put("Description", "FakeMTurk qualification type " + type.name());
        json.put("QualificationTypeStatus", type.status());
        json.put("IsRequestable", type.requestable());
        json.put("AutoGranted", false);
        return json;
    }

    private static Map<String, Object> requestJson(PendingRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("QualificationRequestId", request.requestId());
        json.put("QualificationTypeId", request.qualificationTypeId());
        json.put("WorkerId", request.workerId());
        json.put("SubmitTime", epochSeconds(request.submitTime()));
        return json;
    }

    /** The JSON protocol's timestamp: epoch seconds with milliseconds as fraction. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private static boolean containsIgnoreCase(String text, String part) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "fake-mturk-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A token bucket that starts full. */
    private static final class TokenBucket {
        private final double permitsPerNano;
        private final double capacity;
        private double tokens;
        private long refilledAt = System.nanoTime();

        TokenBucket(double permitsPerSecond, double capacity) {
            this.permitsPerNano = permitsPerSecond / 1e9;
            this.capacity = capacity;
            this.tokens = capacity;
        }

        boolean tryAcquire(long now) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - refilledAt) * permitsPerNano);
            refilledAt = Math.max(refilledAt, now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    // ---------------------------------------------------------------- standalone

    /** Standalone options: {@code --port N --rate L --burst B --service-time-ms M --threads N --type ID --warm-up N}. */
    record Options(int port, double rate, double burst, long serviceTimeMs, int threads, List<String> typeIds,
                   int warmUp) {

        static Options parse(String... args) {
            Map<String, List<String>> values = new HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: FakeMTurk [--port N] [--rate L] [--burst B] "
                            + "[--service-time-ms M] [--threads N] [--type ID]...; bad argument " + args[i]);
                }
                values.computeIfAbsent(args[i].substring(2), name -> new ArrayList<>()).add(args[i + 1]);
            }
            Options options = new Options(
                    Integer.parseInt(last(values, "port", "0")),
                    Double.parseDouble(last(values, "rate", "0")),
                    Double.parseDouble(last(values, "burst", "0")),
                    Long.parseLong(last(values, "service-time-ms", "0")),
                    Integer.parseInt(last(values, "threads", Integer.toString(DEFAULT_THREADS))),
                    List.copyOf(values.getOrDefault("type", List.of())),
                    Integer.parseInt(last(values, "warm-up", "0")));
            values.keySet().removeAll(Set.of("port", "rate", "burst", "service-time-ms", "threads", "type", "warm-up"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + values.keySet());
            }
            return options;
        }

        private static String last(Map<String, List<String>> values, String name, String fallback) {
            List<String> given = values.get(name);
            return given == null ? fallback : given.get(given.size() - 1);
        }

        /** Starts the fake; with {@code warmUp} requests, runs them (see {@link FakeMTurkWarmUp}) and resets it first. */
        FakeMTurk start() throws InterruptedException {
            FakeMTurk fake = FakeMTurk.start(port, threads);
            if (warmUp > 0) {
                fake.acceptAnyType(true);
                FakeMTurkWarmUp.run(fake, warmUp, typeIds.isEmpty() ? "3WARMUPTYPE000000000000001" : typeIds.get(0));
                fake.reset();
            }
            fake.serviceTime(Duration.ofMillis(serviceTimeMs));
            if (rate > 0) {
                fake.rateLimit(rate, burst >= 1 ? burst : Math.max(1.0, rate));
            }
            typeIds.forEach(id -> fake.addType(id, "Type " + id, "Active", true));
            fake.acceptAnyType(typeIds.isEmpty());
            return fake;
        }
    }

    /** Serves until killed; prints {@code READY <url>} once listening and a {@code TOTALS} line on exit. */
    public static void main(String[] args) throws InterruptedException {
        FakeMTurk fake = Options.parse(args).start();
        PrintStream out = System.out;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println(fake.totalsLine());
            out.flush();
            fake.close();
        }, "fake-mturk-shutdown"));
        fake.firstRequestListener = operation -> {
            out.println("FIRST_REQUEST " + fake.firstRequestEpochMillis.get() + " " + operation);
            out.flush();
        };
        if (Boolean.getBoolean("fake.trace")) {
            fake.requestListener = (operation, arrivedNanos) -> {
                long arrivedMillis = System.currentTimeMillis() - (System.nanoTime() - arrivedNanos) / 1_000_000;
                synchronized (out) {
                    out.println("REQUEST " + arrivedMillis + " " + operation);
                    out.flush();
                }
            };
        }
        out.println("READY " + fake.endpoint());
        out.flush();
        new CountDownLatch(1).await();
    }
}
