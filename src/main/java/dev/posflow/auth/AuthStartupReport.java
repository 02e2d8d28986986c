package dev.posflow.auth;

import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

import dev.posflow.config.PosflowConfig;

/**
 * Says at start who may use the API: open (dev mode, or an operator's POSFLOW_AUTH_ENABLED=false, then a warning),
 * or which tokens and whether OIDC. Token names and roles only; never a hash, never a token.
 */
@Singleton
class AuthStartupReport {

    private static final Logger LOG = Logger.getLogger(AuthStartupReport.class);

    void report(@Observes StartupEvent start, PosflowConfig config, ApiTokens tokens,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled") boolean oidc,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> oidcServer) {
        if (!config.auth().enabled()) {
            if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
                LOG.info("Authentication is off in dev mode: anyone who reaches the HTTP port may read and write"
                        + " positions (the prod profile requires a token)");
            } else {
                LOG.warn("Authentication is off (POSFLOW_AUTH_ENABLED=false): anyone who reaches the HTTP port may"
                        + " read every position and write samples under any source name");
            }
            return;
        }
        if (tokens.all().isEmpty() && !oidc) {
            LOG.warn("Authentication is on and no token is configured: /positions and /sources answer 401 to every"
                    + " request. Mint a token with `java -jar quarkus-run.jar token --role admin` and set"
                    + " POSFLOW_AUTH_TOKENS to the entry it prints");
            return;
        }
        LOG.infof("Authentication is on: %d API token(s)%s%s", tokens.all().size(),
                tokens.all().isEmpty() ? "" : tokens.all().stream()
                        .map(token -> token.name() + " (" + token.role().roleName()
                                + (token.role() == Role.WRITER ? " of " + token.sources() : "") + ")")
                        .collect(Collectors.joining(", ", " [", "]")),
                oidc ? ", and OIDC bearer tokens of " + oidcServer.orElse("?") : "");
    }
}
