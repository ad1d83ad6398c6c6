package io.qualgranter.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import io.qualgranter.grant.MTurkEndpoints;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.mturk.model.MTurkException;

/** Each refusal of the preflight's first call is turned into its likely cause, on one line. */
class ServiceErrorsTest {

    static final Target SANDBOX = new Target(MTurkEndpoints.SANDBOX);

    private static MTurkException answer(int status, String code, String message) {
        return (MTurkException) MTurkException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Test
    void namesTheLikelyCause() {
        assertThat(ServiceErrors.describe(answer(400, "InvalidSignatureException", "The request signature we calculated "
                + "does not match the signature you provided."), SANDBOX))
                .startsWith("the sandbox refused the credentials").contains("wrong secret access key").contains("us-east-1");
        assertThat(ServiceErrors.describe(answer(403, "InvalidSignatureException",
                "Credential should be scoped to a valid region, not 'eu-west-1'."), SANDBOX))
                .contains("wrong region").contains("us-east-1 only");
        assertThat(ServiceErrors.describe(answer(400, "UnrecognizedClientException", "The security token included in "
                + "the request is invalid."), SANDBOX)).contains("access key id is not known");
        assertThat(ServiceErrors.describe(answer(400, "ExpiredTokenException", "expired"), SANDBOX)).contains("expired");
        assertThat(ServiceErrors.describe(answer(403, "AccessDeniedException", "not authorized"), SANDBOX))
                .contains("MTurk permissions").contains("requester account");
        assertThat(ServiceErrors.describe(answer(400, "RequestError", "Your account\nis not linked"), SANDBOX))
                .contains("RequestError").contains("Your account is not linked").doesNotContain("\n");
    }

    @Test
    void clientSideProblems() {
        assertThat(ServiceErrors.describe(SdkClientException.create("Unable to load credentials from any of the providers "
                + "in the chain AwsCredentialsProviderChain(...)"), SANDBOX))
                .startsWith("no AWS credentials found").contains("AWS_PROFILE");
        Target local = new Target(URI.create("http://127.0.0.1:1"));
        assertThat(ServiceErrors.describe(SdkClientException.create("Unable to execute HTTP request: Connection refused"), local))
                .startsWith("cannot reach the endpoint http://127.0.0.1:1").contains("Connection refused");
    }

    @Test
    void targetsSuggestTheOtherEnvironment() {
        assertThat(SANDBOX.otherEnvironmentHint()).contains("--production");
        assertThat(new Target(MTurkEndpoints.PRODUCTION).otherEnvironmentHint()).contains("--sandbox");
        assertThat(new Target(MTurkEndpoints.PRODUCTION).describe()).isEqualTo("production");
    }
}
