package dev.posflow.auth;

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
 */
public final class OidcSwitchConfigSourceFactory implements ConfigSourceFactory {

    static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";
    static final String AUTH_SERVER_URL = "quarkus.oidc.auth-server-url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue url = context.getValue(AUTH_SERVER_URL);
        boolean configured = url != null && url.getValue() != null && !url.getValue().isBlank();
        return List.of(new PropertiesConfigSource(Map.of(TENANT_ENABLED, String.valueOf(configured)),
                "posflow-oidc-switch", 50));
    }
}
