package dev.posflow.limits;

import jakarta.enterprise.inject.Instance;

import dev.posflow.auth.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who a request counts against for posflow's per-caller limits: the authenticated principal when there is one (the
 * token's or OIDC user's name), else the remote address. Behind a reverse proxy, set
 * {@code quarkus.http.proxy.proxy-address-forwarding=true} so that the address is the client's, not the proxy's.
 */
public final class CallerKey {

    private CallerKey() {
    }

    /**
     * @param identity the request's identity; while authentication is off every caller has the same open identity and
     *        is counted by address
     */
    public static String of(Instance<SecurityIdentity> identity, HttpServerRequest request) {
        if (identity.isResolvable()) {
            SecurityIdentity known = identity.get();
            if (Caller.isAuthenticated(known) && known.getPrincipal() != null) {
                return "principal:" + known.getPrincipal().getName();
            }
        }
        SocketAddress remote = request == null ? null : request.remoteAddress();
        return "address:" + (remote == null ? "unknown" : remote.hostAddress());
    }
}
