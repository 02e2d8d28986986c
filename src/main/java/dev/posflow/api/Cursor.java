package dev.posflow.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import dev.posflow.store.read.HistoryQuery.Keyset;

/**
 * The opaque {@code next}/{@code after} cursor of history pages: the (sampledAt, id) of a page's last position.
 * Clients must not build it, so its encoding can change with a new version prefix.
 */
final class Cursor {

    private static final String VERSION = "1";

    private Cursor() {
    }

    static String encode(Keyset keyset) {
        long micros = Math.addExact(Math.multiplyExact(keyset.sampledAt().getEpochSecond(), 1_000_000L),
                keyset.sampledAt().getNano() / 1_000);
        String plain = VERSION + ":" + micros + ":" + keyset.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Keyset decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException();
            }
            long micros = Long.parseLong(parts[1]);
            Instant sampledAt = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L);
            return new Keyset(sampledAt, Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'after' is not a cursor that posflow gave out: '" + cursor
                    + "'; pass the 'next' value of the previous page unchanged");
        }
    }
}
