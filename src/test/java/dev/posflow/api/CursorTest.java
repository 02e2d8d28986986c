package dev.posflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.posflow.store.read.HistoryQuery.Keyset;

class CursorTest {

    private static String base64(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String cursor) {
        ProblemException e = assertThrows(ProblemException.class, () -> Cursor.decode(cursor));
        assertEquals(Response.Status.BAD_REQUEST, e.status());
        assertTrue(e.getMessage().contains("'after' is not a cursor"), e.getMessage());
        assertTrue(e.getMessage().contains(cursor), e.getMessage());
    }

    @Test
    void roundTripKeepsMicrosecondsAndId() {
        Keyset keyset = new Keyset(Instant.parse("2021-04-10T20:51:36.287301Z"), 123456789012L);

        assertEquals(keyset, Cursor.decode(Cursor.encode(keyset)));
    }

    @Test
    void roundTripKeepsInstantsBefore1970() {
        for (String iso : new String[] { "1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59Z",
                "1000-01-01T00:00:00.000001Z", "1960-06-15T12:00:00.500000Z" }) {
            Keyset keyset = new Keyset(Instant.parse(iso), 7);
            assertEquals(keyset, Cursor.decode(Cursor.encode(keyset)), iso);
        }
    }

    @Test
    void roundTripKeepsTheEpochAndTheLastAllowedMicrosecond() {
        for (String iso : new String[] { "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z" }) {
            Keyset keyset = new Keyset(Instant.parse(iso), Long.MAX_VALUE);
            assertEquals(keyset, Cursor.decode(Cursor.encode(keyset)), iso);
        }
    }

    @Test
    void encodingIsUrlSafeBase64OfTheVersionMicrosAndId() {
        String cursor = Cursor.encode(new Keyset(Instant.parse("1970-01-01T00:00:01.000002Z"), 42));

        assertEquals(base64("1:1000002:42"), cursor);
        assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
    }

    @Test
    void cursorsOfDifferentPositionsDiffer() {
        Instant at = Instant.parse("2021-04-10T20:51:36.287301Z");

        assertNotEquals(Cursor.encode(new Keyset(at, 1)), Cursor.encode(new Keyset(at, 2)));
        assertNotEquals(Cursor.encode(new Keyset(at, 1)), Cursor.encode(new Keyset(at.plusNanos(1_000), 1)));
    }

    @Test
    void garbageIsRefusedWith400() {
        assertRefused(base64("hello"));
        assertRefused(base64("1:abc:42"));
        assertRefused(base64("1:1000002:"));
        assertRefused(base64("1:1000002:42:9"));
        assertRefused("");
    }

    @Test
    void wrongVersionIsRefusedWith400() {
        assertRefused(base64("2:1000002:42"));
        assertRefused(base64("0:1000002:42"));
    }

    @Test
    void nonBase64IsRefusedWith400() {
        assertRefused("!!not base64!!");
        assertRefused("ab+/");
        assertRefused("a");
    }
}
