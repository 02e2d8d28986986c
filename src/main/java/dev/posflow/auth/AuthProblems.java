package dev.posflow.auth;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import dev.posflow.view.Problem;

/**
 * 401 and 403 as problem+json with {@code WWW-Authenticate: Bearer}. These mappers see the security exceptions
 * because authentication is not proactive (quarkus.http.auth.proactive=false): it runs when {@code @RolesAllowed}
 * asks, inside Quarkus REST, instead of in a Vert.x handler before it.
 */
public class AuthProblems {

    static final String CHALLENGE = "Bearer realm=\"posflow\"";

    /** What an operator who turned auth on without configuring a token reads in every 401. */
    static final String NO_TOKEN_CONFIGURED = "posflow requires a bearer token and none is configured. Mint one with"
            + " `java -jar quarkus-run.jar token --role reader` (or --role writer --sources 'vehicle-*', or --role"
            + " admin), set POSFLOW_AUTH_TOKENS to the entry it prints and restart posflow; then send"
            + " `Authorization: Bearer <token>`. POSFLOW_AUTH_ENABLED=false turns authentication off.";

    private final ApiTokens tokens;
    private final boolean oidc;

    AuthProblems(ApiTokens tokens, @ConfigProperty(name = "quarkus.oidc.tenant-enabled") boolean oidc) {
        this.tokens = tokens;
        this.oidc = oidc;
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return answer(401, nothingConfigured() ? NO_TOKEN_CONFIGURED
                : "this request needs `Authorization: Bearer <token>`", uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return answer(401, nothingConfigured() ? NO_TOKEN_CONFIGURED
                : "the bearer token is unknown, expired or invalid: send `Authorization: Bearer <token>` with a"
                        + " token posflow knows", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return answer(403, "the token's role does not allow this request (reader: reads, writer: POST of its"
                + " sources, admin: everything)", uri);
    }

    @ServerExceptionMapper
    public Response sourceNotAllowed(SourceNotAllowedException e, UriInfo uri) {
        return answer(403, e.getMessage(), uri);
    }

    private boolean nothingConfigured() {
        return tokens.all().isEmpty() && !oidc;
    }

    private static Response answer(int status, String detail, UriInfo uri) {
        String title = Response.Status.fromStatusCode(status).getReasonPhrase();
        return Response.status(status)
                .header(HttpHeaders.WWW_AUTHENTICATE, status == 403 ? CHALLENGE + ", error=\"insufficient_scope\""
                        : CHALLENGE)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath()))
                .build();
    }
}
