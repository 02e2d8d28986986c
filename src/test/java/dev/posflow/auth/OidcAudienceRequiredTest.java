package dev.posflow.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * What OIDC's switch decides from the operator's settings, as posflow's configuration sees them at start (the running
 * app with OIDC: OidcBearerTest). With OIDC on, a start without an audience or a client id is refused.
 */
class OidcAudienceRequiredTest {

    private static final String SERVER = "https://idp.example.com/realms/posflow";

    @Test
    void oidcWithNeitherAudienceNorClientIdRefusesToStartSayingWhatToSet() {
        Throwable refusal = assertThrows(Throwable.class,
                () -> config(Map.of("quarkus.oidc.auth-server-url", SERVER)));
        String message = messages(refusal);
        assertTrue(message.contains("QUARKUS_OIDC_TOKEN_AUDIENCE") && message.contains("QUARKUS_OIDC_CLIENT_ID"),
                message);
    }

    @Test
    void theAudienceDefaultsToTheClientId() {
        SmallRyeConfig config = config(Map.of("quarkus.oidc.auth-server-url", SERVER,
                "quarkus.oidc.client-id", "posflow-api"));
        assertEquals("true", config.getRawValue("quarkus.oidc.tenant-enabled"));
        assertEquals("posflow-api", config.getRawValue("quarkus.oidc.token.audience"));
    }

    @Test
    void anExplicitAudienceWins() {
        SmallRyeConfig config = config(Map.of("quarkus.oidc.auth-server-url", SERVER,
                "quarkus.oidc.client-id", "posflow-api", "quarkus.oidc.token.audience", "https://posflow.example.com"));
        assertEquals("https://posflow.example.com", config.getRawValue("quarkus.oidc.token.audience"));
    }

    @Test
    void withoutAServerOidcIsOffAndNeedsNothing() {
        SmallRyeConfig config = config(Map.of());
        assertEquals("false", config.getRawValue("quarkus.oidc.tenant-enabled"));
        assertEquals(Optional.empty(), config.getOptionalValue("quarkus.oidc.token.audience", String.class));
    }

    private static SmallRyeConfig config(Map<String, String> operator) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(operator, "operator", 300))
                .withSources(new OidcSwitchConfigSourceFactory())
                .build();
    }

    private static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
