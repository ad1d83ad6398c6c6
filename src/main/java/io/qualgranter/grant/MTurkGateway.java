package io.qualgranter.grant;

import java.util.Set;

import io.qualgranter.report.Outcome;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.mturk.MTurkClient;

/**
 * Sends one grant and classifies the answer (design.md, Errors from the service): success is
 * GRANTED; throttling and 5xx that outlast the SDK's retries are FAILED; other 4xx are REJECTED
 * with the service's message; an answer that refuses the caller itself stops the run.
 */
public class MTurkGateway implements AutoCloseable {

    private static final Set<String> CALLER_REFUSED = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "UnrecognizedClientException", "InvalidClientTokenId", "AccessDeniedException", "AccessDenied",
            "MissingAuthenticationToken", "ExpiredTokenException", "IncompleteSignature", "AuthFailure");

    private final MTurkClient client;

    public MTurkGateway(MTurkClient client) {
        this.client = client;
    }

    public CallResult associate(GrantRequest request) {
        try {
            client.associateQualificationWithWorker(b -> b
                    .workerId(request.workerId())
                    .qualificationTypeId(request.qualificationTypeId())
                    .integerValue(request.integerValue())
                    .sendNotification(request.sendNotification()));
            return CallResult.granted();
        } catch (AwsServiceException e) {
            return classify(e);
        } catch (SdkClientException e) {
            return new CallResult(Outcome.FAILED, "no answer from the service: " + e.getMessage());
        }
    }

    static CallResult classify(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        String detail = (code == null ? "HTTP " + e.statusCode() : code) + (message == null ? "" : ": " + message);
        if (e.statusCode() == 403 || (code != null && CALLER_REFUSED.contains(code))) {
            throw new CredentialsRejectedException("the service refused the caller (" + detail
                    + "): check the AWS credentials, and that the endpoint matches them", e);
        }
        if (e.isThrottlingException() || e.statusCode() >= 500) {
            return new CallResult(Outcome.FAILED, "gave up after retries: " + detail);
        }
        return new CallResult(Outcome.REJECTED, detail);
    }

    @Override
    public void close() {
        client.close();
    }
}
