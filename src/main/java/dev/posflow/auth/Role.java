package dev.posflow.auth;

import java.util.Locale;

/** What a caller may do. The names are the role names of {@code @RolesAllowed}, of API tokens and of OIDC claims. */
public enum Role {
    /** GET /positions*, /sources and the live stream. */
    READER,
    /** POST /positions, for the sources its token names. */
    WRITER,
    /** Everything, for every source. */
    ADMIN;

    public static final String READER_NAME = "reader";
    public static final String WRITER_NAME = "writer";
    public static final String ADMIN_NAME = "admin";

    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role of(String name) {
        for (Role role : values()) {
            if (role.roleName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "' (reader, writer or admin)");
    }
}
