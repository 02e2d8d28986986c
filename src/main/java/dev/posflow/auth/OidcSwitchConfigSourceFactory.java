package dev.posflow.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * OIDC is on exactly when QUARKUS_OIDC_AUTH_SERVER_URL (quarkus.oidc.auth-server-url) is set: without a server
 * quarkus-oidc would refuse to start, and a second switch would only be the same fact said twice. A default below
 * application.properties (250) and the environment (300), so an explicit quarkus.oidc.tenant-enabled still wins.
 * <p>
 * When OIDC is on, posflow only takes tokens issued to it: quarkus-oidc checks an access token's audience only when
 * quarkus.oidc.token.audience is set, and a provider issues tokens to many applications, so a token for another one
 * (whose roles say admin there) would otherwise be accepted. The audience defaults to quarkus.oidc.client-id, posflow's
 * own registration at the provider; with neither, posflow refuses to start.
 */
public final class OidcSwitchConfigSourceFactory implements ConfigSourceFactory {

    static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";
    static final String AUTH_SERVER_URL = "quarkus.oidc.auth-server-url";
    static final String AUDIENCE = "quarkus.oidc.token.audience";
    static final String CLIENT_ID = "quarkus.oidc.client-id";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean configured = isSet(context.getValue(AUTH_SERVER_URL));
        ConfigValue explicitSwitch = context.getValue(TENANT_ENABLED);
        boolean on = isSet(explicitSwitch) ? Boolean.parseBoolean(explicitSwitch.getValue().trim()) : configured;
        Map<String, String> defaults = new HashMap<>();
        defaults.put(TENANT_ENABLED, String.valueOf(configured));
        if (on && !isSet(context.getValue(AUDIENCE))) {
            ConfigValue clientId = context.getValue(CLIENT_ID);
            if (!isSet(clientId)) {
                throw new IllegalStateException("OIDC is on (" + AUTH_SERVER_URL + " is set) but posflow does not know"
                        + " which tokens are meant for it: set QUARKUS_OIDC_TOKEN_AUDIENCE (" + AUDIENCE + ") to the"
                        + " audience your identity provider puts in posflow's access tokens, or QUARKUS_OIDC_CLIENT_ID ("
                        + CLIENT_ID + ") if that is it. Without one, a token the provider issued to any other"
                        + " application would be accepted (docs/security.md, \"OIDC\")");
            }
            defaults.put(AUDIENCE, clientId.getValue().trim());
        }
        return List.of(new PropertiesConfigSource(defaults, "posflow-oidc-switch", 50));
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
