package dev.posflow.limits;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who a request counts against for posflow's per-caller limits: the authenticated principal when there is one (the
 * token's or OIDC user's name), else the remote address. Behind a reverse proxy, set
 * {@code quarkus.http.proxy.proxy-address-forwarding=true} so that the address is the client's, not the proxy's.
 */
public final class Caller {

    private Caller() {
    }

    public static String key(SecurityIdentity identity, HttpServerRequest request) {
        if (identity != null && !identity.isAnonymous() && identity.getPrincipal() != null) {
            return "principal:" + identity.getPrincipal().getName();
        }
        SocketAddress remote = request == null ? null : request.remoteAddress();
        return "address:" + (remote == null ? "unknown" : remote.hostAddress());
    }
}
