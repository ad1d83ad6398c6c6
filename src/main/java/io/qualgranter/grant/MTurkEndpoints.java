package io.qualgranter.grant;

import java.net.URI;

/** The two MTurk endpoints; MTurk lives in us-east-1 only and signs as "mturk-requester". */
public final class MTurkEndpoints {

    public static final URI SANDBOX = URI.create("https://mturk-requester-sandbox.us-east-1.amazonaws.com");
    public static final URI PRODUCTION = URI.create("https://mturk-requester.us-east-1.amazonaws.com");

    private MTurkEndpoints() {
    }
}
