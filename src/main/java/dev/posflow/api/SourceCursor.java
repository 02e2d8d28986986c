package dev.posflow.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.posflow.sample.Sample;

/**
 * The opaque {@code next}/{@code after} cursor of the pages of /positions/latest and /sources: the last source name of
 * a page. Clients must not build it, so its encoding can change with a new version prefix.
 */
final class SourceCursor {

    private static final String VERSION = "s1:";

    private SourceCursor() {
    }

    static String encode(String source) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + source).getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String source = plain.startsWith(VERSION) ? plain.substring(VERSION.length()) : "";
            if (source.isEmpty() || source.length() > Sample.MAX_SOURCE_LENGTH) {
                throw new IllegalArgumentException();
            }
            return source;
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'after' is not a cursor that posflow gave out: '" + cursor
                    + "'; pass the 'next' value of the previous page unchanged");
        }
    }
}
