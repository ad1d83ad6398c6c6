package io.qualgranter.preflight;

import java.util.Locale;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns a failed preflight call into one line that names the likely cause: a wrong secret, a key AWS
 * does not know, expired session credentials, a missing permission, the region (MTurk is us-east-1
 * only), no credentials at all, or an endpoint that cannot be reached. Never includes a secret.
 */
public final class ServiceErrors {

    private ServiceErrors() {
    }

    public static String describe(SdkException e, Target target) {
        if (e instanceof AwsServiceException service) {
            return describeAnswer(service, target);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (noCredentials(e)) {
            return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                    + "(or log in with aws sso login)";
        }
        return "cannot reach " + target.describe() + " (" + target.endpoint() + "): " + oneLine(message)
                + "; check the network and --endpoint-url";
    }

    /** The SDK found no credentials to sign with (its default chain came up empty). */
    static boolean noCredentials(SdkException e) {
        return e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("credentials");
    }

    /** Throttling or a 5xx: the service is busy or down for now, nothing the operator must fix. */
    public static boolean isTransient(SdkException e) {
        return e instanceof AwsServiceException service && (service.isThrottlingException() || service.statusCode() >= 500);
    }

    /** "sandbox answered CODE "message"", on one line. */
    static String answerOf(SdkException e, Target target) {
        if (!(e instanceof AwsServiceException service)) {
            return oneLine(String.valueOf(e.getMessage()));
        }
        String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
        return target.describe() + " answered " + (code == null ? "HTTP " + service.statusCode() : code)
                + (message == null ? "" : " \"" + oneLine(message) + "\"");
    }

    private static String describeAnswer(AwsServiceException e, Target target) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        String answer = code == null ? "HTTP " + e.statusCode() : code;
        String refused = target.describe() + " refused the credentials: ";
        String lowerMessage = message == null ? "" : message.toLowerCase(Locale.ROOT);
        String cause = null;
        if (code != null) {
            cause = switch (code) {
                case "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature" ->
                        lowerMessage.contains("scope") || lowerMessage.contains("region")
                                ? "the request was signed for the wrong region: MTurk is in us-east-1 only"
                                : "most likely a wrong secret access key (it does not belong to the access key id); "
                                        + "also, MTurk is in us-east-1 only";
                case "UnrecognizedClientException", "InvalidClientTokenId" ->
                        "the access key id is not known to AWS (wrong or deleted key, or session credentials without "
                                + "their session token)";
                case "ExpiredToken", "ExpiredTokenException" ->
                        "the session credentials have expired: refresh them (e.g. aws sso login)";
                case "AccessDenied", "AccessDeniedException" ->
                        "the credentials may not use MTurk: the IAM user or role needs MTurk permissions, and the AWS "
                                + "account must be linked to a requester account for " + target.describe();
                default -> null;
            };
        }
        if (cause == null && (e.statusCode() == 403 || e.statusCode() == 401)) {
            cause = "check the access key and secret, and that requests are signed for us-east-1 (MTurk's only region)";
        }
        if (cause != null) {
            return refused + cause + " (the service answered " + answer + ")";
        }
        return target.describe() + " answered " + answer + (message == null ? "" : " \"" + oneLine(message) + "\"")
                + " to the preflight; check the credentials and that the AWS account is linked to a requester "
                + "account for " + target.describe();
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
