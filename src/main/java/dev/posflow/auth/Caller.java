package dev.posflow.auth;

import java.util.Collection;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, for the code behind the resources: the principal name of the request's SecurityIdentity (an API
 * token's name, an OIDC user, or {@value ApiTokenMechanism#OPEN_CALLER} while authentication is off), and which
 * sources it may write.
 */
public final class Caller {

    /** SecurityIdentity attribute: the {@link SourceGlobs} an identity may write. */
    public static final String SOURCES_ATTRIBUTE = "posflow.sources";

    private Caller() {
    }

    /** SecurityIdentity attribute set while authentication is off: every caller is the same open identity. */
    public static final String OPEN_ATTRIBUTE = "posflow.open";

    /** Whether the identity is a real caller (a token or OIDC user), not the open identity of auth turned off. */
    public static boolean isAuthenticated(SecurityIdentity identity) {
        return !identity.isAnonymous() && identity.getAttribute(OPEN_ATTRIBUTE) == null;
    }

    public static String name(SecurityIdentity identity) {
        return identity.isAnonymous() ? ApiTokenMechanism.OPEN_CALLER : identity.getPrincipal().getName();
    }

    /**
     * Admins write every source. An API writer writes its token's sources; an OIDC writer (no source list in its
     * identity) every source, since OIDC roles say nothing about sources: give devices API tokens.
     */
    public static SourceGlobs writableSources(SecurityIdentity identity) {
        if (identity.hasRole(Role.ADMIN_NAME)) {
            return SourceGlobs.ALL;
        }
        SourceGlobs sources = identity.getAttribute(SOURCES_ATTRIBUTE);
        return sources == null ? SourceGlobs.ALL : sources;
    }

    /**
     * What a writer may write, read from its identity: on the request's thread, since the identity is request-scoped
     * and a large POST body is published from a worker thread, where no request context is active.
     */
    public static Writer writer(SecurityIdentity identity) {
        return new Writer(name(identity), writableSources(identity));
    }

    /** A writer's name and the sources it may write, for the code that publishes after the request's thread. */
    public record Writer(String name, SourceGlobs sources) {

        /** 403 naming the first source the caller may not write; nothing is published then. */
        public void requireMayWrite(Collection<String> wanted) {
            for (String source : wanted) {
                if (!sources.matches(source)) {
                    throw new SourceNotAllowedException("'" + name + "' may not write source '" + source
                            + "' (it may write " + sources + "); nothing was published");
                }
            }
        }
    }
}
