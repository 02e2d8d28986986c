package dev.posflow.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import dev.posflow.config.PosflowConfig;

/**
 * {@code Authorization: Bearer pf_…}: posflow's API tokens. Tried before OIDC; a bearer token without the
 * {@value ApiToken#PREFIX} prefix (an OIDC JWT) is left to the next mechanism. With posflow.auth.enabled=false every
 * request is an open caller holding every role, so that {@code @RolesAllowed} stays the one place that says who may
 * do what.
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    /** The principal of every request while authentication is off. */
    public static final String OPEN_CALLER = "anonymous";

    static final String BEARER = "bearer";

    private static final SecurityIdentity OPEN = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal(OPEN_CALLER))
            .addRoles(Set.of(Role.READER_NAME, Role.WRITER_NAME, Role.ADMIN_NAME))
            .addAttribute(Caller.SOURCES_ATTRIBUTE, SourceGlobs.ALL)
            .addAttribute(Caller.OPEN_ATTRIBUTE, Boolean.TRUE)
            .build();

    private final boolean enabled;

    ApiTokenMechanism(PosflowConfig config) {
        this.enabled = config.auth().enabled();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!enabled) {
            return Uni.createFrom().item(OPEN);
        }
        String token = bearerToken(context);
        if (token == null || !ApiToken.looksLikeOne(token)) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager
                .authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiTokenRequest(token), context));
    }

    static String bearerToken(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length() + 1
                || !header.regionMatches(true, 0, BEARER + " ", 0, BEARER.length() + 1)) {
            return null;
        }
        return header.substring(BEARER.length() + 1).trim();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, AuthProblems.CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, BEARER));
    }

    /** Before OIDC's bearer mechanism (which has the default priority). */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
