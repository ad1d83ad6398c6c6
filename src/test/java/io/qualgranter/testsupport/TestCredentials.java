package io.qualgranter.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(TestCredentials.class)}: the SDK's default chain finds the test credentials
 * ({@link GranterCli#ACCESS_KEY}, as system properties) for a test class that builds its own clients;
 * the properties as they were come back after it.
 */
public final class TestCredentials implements BeforeAllCallback, AfterAllCallback {

    private static final String KEY = "aws.accessKeyId";
    private static final String SECRET = "aws.secretAccessKey";

    private String previousKey;
    private String previousSecret;

    @Override
    public void beforeAll(ExtensionContext context) {
        previousKey = System.setProperty(KEY, GranterCli.ACCESS_KEY);
        previousSecret = System.setProperty(SECRET, GranterCli.SECRET_KEY);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        restore(KEY, previousKey);
        restore(SECRET, previousSecret);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
