package dev.posflow.auth;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Authentication on, as in the prod profile, with one token of each role. The log goes to a file too, at DEBUG for
 * everything that handles credentials, so that a test can read every line the app wrote.
 */
public class AuthOnProfile implements QuarkusTestProfile {

    public static final String READER = ApiToken.mint();
    public static final String WRITER = ApiToken.mint();
    public static final String ADMIN = ApiToken.mint();
    public static final String LOG_FILE = "target/auth-on-test.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("posflow.auth.enabled", "true");
        config.put("posflow.auth.tokens", String.join(",",
                ApiToken.entry("test-reader", Role.READER, READER, null),
                ApiToken.entry("test-writer", Role.WRITER, WRITER, SourceGlobs.parse("vehicle-*|truck-?")),
                ApiToken.entry("test-admin", Role.ADMIN, ADMIN, null)));
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", LOG_FILE);
        config.put("quarkus.log.file.level", "DEBUG");
        config.put("quarkus.log.category.\"io.quarkus.security\".level", "DEBUG");
        config.put("quarkus.log.category.\"io.quarkus.vertx.http.runtime.security\".level", "DEBUG");
        config.put("quarkus.log.category.\"io.quarkus.oidc\".level", "DEBUG");
        config.put("quarkus.log.category.\"dev.posflow\".level", "DEBUG");
        config.put("quarkus.http.access-log.enabled", "true");
        return config;
    }
}
