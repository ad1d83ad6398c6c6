package io.qualgranter.grant;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The two MTurk endpoints; MTurk lives in us-east-1 only and signs as "mturk-requester". */
public final class MTurkEndpoints {

    public static final URI SANDBOX = URI.create("https://mturk-requester-sandbox.us-east-1.amazonaws.com");
    public static final URI PRODUCTION = URI.create("https://mturk-requester.us-east-1.amazonaws.com");

    /**
     * One spelling per endpoint, since it keys the ledger, the leases and the run's identity: scheme and
     * host in lower case, no default port (80 for http, 443 for https), no trailing slash, no query or
     * fragment. {@code HTTPS://Mturk-Requester.us-east-1.amazonaws.com:443/} is the production endpoint.
     */
    public static URI normalize(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? null : endpoint.getScheme().toLowerCase(Locale.ROOT);
        String host = endpoint.getHost() == null ? null : endpoint.getHost().toLowerCase(Locale.ROOT);
        if (scheme == null || host == null) {
            return endpoint; // not a URL with a host: left as it is (the command line rejects it)
        }
        int port = endpoint.getPort();
        if (("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443)) {
            port = -1;
        }
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        try {
            return new URI(scheme + "://" + host + (port < 0 ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return endpoint;
        }
    }

    private MTurkEndpoints() {
    }
}
