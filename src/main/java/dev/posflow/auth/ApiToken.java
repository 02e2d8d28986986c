package dev.posflow.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One configured API token: {@code name:role:sha256-hex[:globs]}, e.g.
 * {@code fleet:writer:9f86d0…0a08:vehicle-*|truck-*}. The configuration holds the SHA-256 of the token, never the
 * token: a leaked configuration does not let anyone in. A plain hash (no salt, no stretching) is enough because the
 * tokens are 256 random bits, not passwords: there is no dictionary to try.
 *
 * @param name who holds the token; the principal name of its requests (what logs and rate limits see)
 * @param sources what a writer may write; {@link SourceGlobs#ALL} for readers and admins
 */
public record ApiToken(String name, Role role, byte[] hash, SourceGlobs sources) {

    /** Minted tokens start with it, which tells them from OIDC's JWTs without trying either. */
    public static final String PREFIX = "pf_";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new token: {@value #PREFIX} and 256 random bits, base64url without padding (URL- and header-safe). */
    public static String mint() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    public static boolean looksLikeOne(String bearer) {
        return bearer.startsWith(PREFIX);
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The configuration entry of a token, as the token command prints it. */
    public static String entry(String name, Role role, String token, SourceGlobs sources) {
        String entry = name + ":" + role.roleName() + ":" + HexFormat.of().formatHex(sha256(token));
        return role == Role.WRITER ? entry + ":" + sources : entry;
    }

    /** Reads one entry of posflow.auth.tokens; the message of the exception never repeats the hash. */
    public static ApiToken parse(String entry) {
        String[] parts = entry.trim().split(":", 4);
        if (parts.length < 3) {
            throw new IllegalArgumentException("an entry is name:role:sha256-hex[:globs]");
        }
        String name = parts[0];
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token name is 1 to 64 of A-Z a-z 0-9 . _ @ -, not '" + name + "'");
        }
        Role role = Role.of(parts[1]);
        if (!HEX_SHA256.matcher(parts[2]).matches()) {
            throw new IllegalArgumentException("token '" + name + "': the hash is 64 hex digits (SHA-256)");
        }
        byte[] hash = HexFormat.of().parseHex(parts[2]);
        if (role == Role.WRITER) {
            if (parts.length < 4) {
                throw new IllegalArgumentException("writer token '" + name
                        + "' names no sources: append ':glob', e.g. ':vehicle-*'");
            }
            return new ApiToken(name, role, hash, SourceGlobs.parse(parts[3]));
        }
        if (parts.length == 4) {
            throw new IllegalArgumentException(role.roleName() + " token '" + name
                    + "' names sources; only writer tokens do");
        }
        return new ApiToken(name, role, hash, SourceGlobs.ALL);
    }
}
