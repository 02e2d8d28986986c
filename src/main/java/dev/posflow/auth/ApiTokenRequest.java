package dev.posflow.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A bearer token that looks like a posflow API token. Its own type, not Quarkus's TokenAuthenticationRequest, so that
 * OIDC's identity provider never sees posflow's tokens and posflow's never sees OIDC's.
 */
final class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    ApiTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenRequest[token hidden]";
    }
}
