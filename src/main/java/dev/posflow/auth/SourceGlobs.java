package dev.posflow.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sources a token may write: globs where {@code *} stands for any run of characters and {@code ?} for one, e.g.
 * {@code vehicle-*}. Hand-written rather than java.nio's PathMatcher, whose globs treat '/' and braces specially.
 */
public final class SourceGlobs {

    /** Every source: admins, and OIDC writers (whose tokens carry no source list). */
    public static final SourceGlobs ALL = new SourceGlobs(List.of("*"));

    private final List<String> globs;
    private final List<Pattern> patterns;

    private SourceGlobs(List<String> globs) {
        this.globs = List.copyOf(globs);
        List<Pattern> compiled = new ArrayList<>();
        for (String glob : globs) {
            StringBuilder regex = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (char c : glob.toCharArray()) {
                if (c == '*' || c == '?') {
                    if (!literal.isEmpty()) {
                        regex.append(Pattern.quote(literal.toString()));
                        literal.setLength(0);
                    }
                    regex.append(c == '*' ? ".*" : ".");
                } else {
                    literal.append(c);
                }
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
            }
            compiled.add(Pattern.compile(regex.toString(), Pattern.DOTALL));
        }
        this.patterns = compiled;
    }

    /** Globs separated by '|', e.g. {@code vehicle-*|truck-?}. */
    public static SourceGlobs parse(String text) {
        List<String> globs = new ArrayList<>();
        for (String glob : text.split("\\|", -1)) {
            String trimmed = glob.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("an empty source glob");
            }
            if (trimmed.contains(",")) {
                throw new IllegalArgumentException("a source glob cannot hold ','");
            }
            globs.add(trimmed);
        }
        return new SourceGlobs(globs);
    }

    public boolean matches(String source) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(source).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join("|", globs);
    }
}
