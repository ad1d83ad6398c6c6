package io.qualgranter.grant;

import io.qualgranter.row.GrantRequest;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.qualgranter.grant.MTurkClientFactory.RetrySettings;
import io.qualgranter.row.Outcome;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.GetQualificationScoreResponse;
import software.amazon.awssdk.services.mturk.model.Qualification;
import software.amazon.awssdk.services.mturk.model.QualificationStatus;

/**
 * Sends one grant and classifies the answer (design.md, Errors from the service): success is
 * GRANTED; throttling that outlasts the SDK's retries is FAILED; other 4xx are REJECTED with the
 * service's message; an answer that refuses the caller itself stops the run.
 *
 * <p>Throttling is waited out and retried here (the grants client retries nothing). A 5xx or a lost
 * connection leaves the grant <em>in doubt</em>: it may have been applied (and
 * the worker mailed) before the answer was lost. Such a call is never re-sent blindly: the gateway
 * first asks {@code GetQualificationScore}; when the worker holds the intended value the row is
 * GRANTED without another call, otherwise it is sent again, up to the retry settings' attempts, after
 * the backoff and a second check right before the re-send.
 */
public class MTurkGateway implements AutoCloseable {

    /** The detail of a grant confirmed by GetQualificationScore after its answer was lost. */
    public static final String CONFIRMED_AFTER_LOST_ANSWER = "confirmed after a lost answer";

    private static final Set<String> CALLER_REFUSED = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "InvalidClientTokenId", "AccessDeniedException", "AccessDenied",
            "MissingAuthenticationToken", "ExpiredTokenException", "IncompleteSignature", "AuthFailure");

    private final MTurkClient grants;
    private final MTurkClient reads;
    private final RetrySettings retry;
    private final BooleanSupplier stopRequested;

    /** One client for everything, its own retry strategy deciding (tests, tools). */
    public MTurkGateway(MTurkClient client) {
        this(client, client, new RetrySettings(1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(3)), () -> false);
    }

    /**
     * @param grants        the client for AssociateQualificationWithWorker: retries throttling only
     * @param reads         the client for GetQualificationScore: retries throttling and 5xx
     * @param retry         attempts and backoff for grants left in doubt
     * @param stopRequested when true, no new grant is sent (a graceful stop is under way)
     */
    public MTurkGateway(MTurkClient grants, MTurkClient reads, RetrySettings retry, BooleanSupplier stopRequested) {
        this.grants = grants;
        this.reads = reads;
        this.retry = retry;
        this.stopRequested = stopRequested;
    }

    public CallResult associate(GrantRequest request) {
        String inDoubt = null;
        for (int attempt = 1; attempt <= Math.max(1, retry.maxAttempts()); attempt++) {
            if (inDoubt != null) {
                // checked when the answer was lost, and again now, right before sending again: a grant
                // applied meanwhile (the service's reads can lag its writes) must not be sent, nor mailed, twice
                CallResult confirmed = confirm(request, inDoubt);
                if (confirmed != null) {
                    return confirmed;
                }
            }
            if (stopRequested.getAsBoolean()) {
                return notSent(inDoubt);
            }
            try {
                grants.associateQualificationWithWorker(b -> b
                        .workerId(request.workerId())
                        .qualificationTypeId(request.qualificationTypeId())
                        .integerValue(request.integerValue())
                        .sendNotification(request.sendNotification()));
                return CallResult.granted();
            } catch (AwsServiceException e) {
                if (e.isThrottlingException() && attempt < retry.maxAttempts()) {
                    pause(MTurkClientFactory.delayBefore(retry, attempt)); // refused before it was applied
                    continue;
                }
                if (e.statusCode() < 500 || e.isThrottlingException()) {
                    return classify(e);
                }
                inDoubt = describe(e);
            } catch (SdkClientException e) {
                inDoubt = "no answer from the service: " + e.getMessage();
            }
            CallResult confirmed = confirm(request, inDoubt);
            if (confirmed != null) {
                return confirmed;
            }
            if (attempt < retry.maxAttempts()) {
                pause(MTurkClientFactory.delayBefore(retry, attempt));
            }
        }
        return new CallResult(Outcome.FAILED, "gave up after " + retry.maxAttempts() + " attempts: " + inDoubt);
    }

    /**
     * The value the worker holds for the type, or empty when the worker has no such qualification
     * (never granted, revoked, or a worker the service does not know).
     *
     * @throws SdkException when the service could not be asked
     */
    public OptionalInt score(String workerId, String qualificationTypeId) {
        try {
            GetQualificationScoreResponse response = reads.getQualificationScore(b -> b
                    .workerId(workerId).qualificationTypeId(qualificationTypeId));
            Qualification qualification = response.qualification();
            if (qualification == null || qualification.integerValue() == null
                    || qualification.status() == QualificationStatus.REVOKED) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(qualification.integerValue());
        } catch (AwsServiceException e) {
            if (e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 403 && !e.isThrottlingException()
                    && !callerRefused(e)) {
                return OptionalInt.empty(); // RequestError "does not exist", unknown worker
            }
            throw e;
        }
    }

    /** The worker already holds the requested value? Then GRANTED; null when not (or when nobody can tell). */
    private CallResult confirm(GrantRequest request, String inDoubt) {
        try {
            OptionalInt held = score(request.workerId(), request.qualificationTypeId());
            if (held.isPresent() && held.getAsInt() == request.integerValue()) {
                return new CallResult(Outcome.GRANTED, CONFIRMED_AFTER_LOST_ANSWER + " (" + inDoubt + ")");
            }
            return null;
        } catch (AwsServiceException e) {
            if (e.statusCode() == 403 || callerRefused(e)) {
                return classify(e);
            }
            return new CallResult(Outcome.FAILED, "in doubt, not sent again: " + inDoubt
                    + "; the check failed: " + describe(e));
        } catch (SdkClientException e) {
            return new CallResult(Outcome.FAILED, "in doubt, not sent again: " + inDoubt
                    + "; the check failed: " + e.getMessage());
        }
    }

    private static CallResult notSent(String inDoubt) {
        return new CallResult(Outcome.FAILED, "not sent: the run was stopped"
                + (inDoubt == null ? "" : " (an earlier attempt is in doubt: " + inDoubt + ")"));
    }

    static CallResult classify(AwsServiceException e) {
        String detail = describe(e);
        if (e.statusCode() == 403 || callerRefused(e)) {
            throw new CredentialsRejectedException("the service refused the caller (" + detail
                    + "): check the AWS credentials, and that the endpoint matches them", e);
        }
        if (e.isThrottlingException() || e.statusCode() >= 500) {
            return new CallResult(Outcome.FAILED, "gave up after retries: " + detail);
        }
        return new CallResult(Outcome.REJECTED, detail);
    }

    private static boolean callerRefused(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code != null && CALLER_REFUSED.contains(code);
    }

    private static String describe(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return (code == null ? "HTTP " + e.statusCode() : code) + (message == null ? "" : ": " + message);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        grants.close();
        if (reads != grants) {
            reads.close();
        }
    }
}
