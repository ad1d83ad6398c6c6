package io.qualgranter.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** One spelling per endpoint: it keys the ledger, the leases and the run's identity. */
class MTurkEndpointsTest {

    @Test
    void schemeAndHostCaseDefaultPortsAndTrailingSlashesDoNotMakeAnotherEndpoint() {
        for (String spelling : new String[] {"https://mturk-requester.us-east-1.amazonaws.com",
                "https://mturk-requester.us-east-1.amazonaws.com/", "HTTPS://MTurk-Requester.US-EAST-1.amazonaws.com",
                "https://mturk-requester.us-east-1.amazonaws.com:443//"}) {
            assertThat(MTurkEndpoints.normalize(URI.create(spelling))).as(spelling).isEqualTo(MTurkEndpoints.PRODUCTION);
        }
        assertThat(MTurkEndpoints.normalize(URI.create("http://Fake.Local:80/"))).isEqualTo(URI.create("http://fake.local"));
    }

    @Test
    void whatNamesAnotherEndpointIsKept() {
        assertThat(MTurkEndpoints.normalize(URI.create("http://fake.local:8443/"))).isEqualTo(URI.create("http://fake.local:8443"));
        assertThat(MTurkEndpoints.normalize(URI.create("https://fake.local:80"))).isEqualTo(URI.create("https://fake.local:80"));
        assertThat(MTurkEndpoints.normalize(URI.create("https://proxy.local/mturk/"))).isEqualTo(URI.create("https://proxy.local/mturk"));
        assertThat(MTurkEndpoints.normalize(URI.create("http://127.0.0.1:9000"))).isEqualTo(URI.create("http://127.0.0.1:9000"));
    }
}
