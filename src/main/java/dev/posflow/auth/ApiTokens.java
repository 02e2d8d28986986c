package dev.posflow.auth;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.posflow.config.PosflowConfig;

/** The API tokens of posflow.auth.tokens, read once; an invalid entry stops the start with the reason. */
@Singleton
public class ApiTokens {

    private final List<ApiToken> tokens;

    ApiTokens(PosflowConfig config) {
        List<ApiToken> parsed = new ArrayList<>();
        List<String> entries = config.auth().tokens().orElse(List.of());
        for (int i = 0; i < entries.size(); i++) {
            try {
                parsed.add(ApiToken.parse(entries.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("posflow.auth.tokens (POSFLOW_AUTH_TOKENS), entry " + (i + 1)
                        + ": " + e.getMessage(), e);
            }
        }
        this.tokens = List.copyOf(parsed);
    }

    /**
     * The token whose hash is the presented token's. Every entry is compared, each in constant time
     * (MessageDigest.isEqual), so the answer time tells nothing about how close a guess came or which entry matched.
     */
    public Optional<ApiToken> find(String presented) {
        byte[] hash = ApiToken.sha256(presented);
        ApiToken found = null;
        for (ApiToken token : tokens) {
            if (MessageDigest.isEqual(token.hash(), hash) && found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    public List<ApiToken> all() {
        return tokens;
    }
}
