package dev.posflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.posflow.store.read.HistoryQuery;
import dev.posflow.store.read.HistoryQuery.Keyset;

class HistoryParametersTest {

    private static String refused(String source, String from, String to, String limit, String after, String order) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> HistoryParameters.parse(source, from, to, limit, after, order));
        assertEquals(Response.Status.BAD_REQUEST, e.status());
        return e.getMessage();
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    @Test
    void defaultsAreLimit100AscendingAndNoFilter() {
        HistoryQuery query = HistoryParameters.parse(null, null, null, null, null, null);

        assertEquals(100, query.limit());
        assertFalse(query.descending());
        assertEquals(Optional.empty(), query.source());
        assertEquals(Optional.empty(), query.from());
        assertEquals(Optional.empty(), query.to());
        assertEquals(Optional.empty(), query.after());
    }

    @Test
    void blankParametersTakeTheDefaults() {
        HistoryQuery query = HistoryParameters.parse(null, "", " ", "", "", "");

        assertEquals(100, query.limit());
        assertFalse(query.descending());
        assertEquals(Optional.empty(), query.from());
        assertEquals(Optional.empty(), query.to());
        assertEquals(Optional.empty(), query.after());
    }

    @Test
    void allParametersAreRead() {
        Keyset keyset = new Keyset(Instant.parse("2021-04-10T20:51:36.287301Z"), 99);
        HistoryQuery query = HistoryParameters.parse("desk-7", "2021-04-10T00:00:00Z", "2021-04-11T00:00:00Z", "25",
                Cursor.encode(keyset), "desc");

        assertEquals(Optional.of("desk-7"), query.source());
        assertEquals(Optional.of(Instant.parse("2021-04-10T00:00:00Z")), query.from());
        assertEquals(Optional.of(Instant.parse("2021-04-11T00:00:00Z")), query.to());
        assertEquals(Optional.of(keyset), query.after());
        assertEquals(25, query.limit());
        assertTrue(query.descending());
    }

    @Test
    void limitBounds1And1000AreAccepted() {
        assertEquals(1, HistoryParameters.parse(null, null, null, "1", null, null).limit());
        assertEquals(1000, HistoryParameters.parse(null, null, null, "1000", null, null).limit());
    }

    @Test
    void limitOutsideBoundsOrNotANumberIsRefused() {
        for (String limit : new String[] { "0", "1001", "abc", "-5", "2.5", "99999999999" }) {
            String detail = refused(null, null, null, limit, null, null);
            assertEquals("'limit' must be an integer from 1 to 1000, not '" + limit + "'", detail);
        }
    }

    @Test
    void orderAscAndDescAreAccepted() {
        assertFalse(HistoryParameters.parse(null, null, null, null, null, "asc").descending());
        assertTrue(HistoryParameters.parse(null, null, null, null, null, "desc").descending());
    }

    @Test
    void orderOtherThanAscOrDescIsRefused() {
        for (String order : new String[] { "DESC", "descending", "up" }) {
            assertEquals("'order' must be 'asc' or 'desc', not '" + order + "'",
                    refused(null, null, null, null, null, order));
        }
    }

    @Test
    void fromEqualToToIsRefused() {
        assertContains("'from' (2021-04-10T00:00:00Z) must be before 'to' (2021-04-10T00:00:00Z)",
                refused(null, "2021-04-10T00:00:00Z", "2021-04-10T00:00:00Z", null, null, null));
    }

    @Test
    void fromAfterToIsRefused() {
        assertContains("'from'", refused(null, "2021-04-11T00:00:00Z", "2021-04-10T00:00:00Z", null, null, null));
    }

    @Test
    void fromJustBeforeToIsAccepted() {
        HistoryQuery query = HistoryParameters.parse(null, "2021-04-10T00:00:00Z", "2021-04-10T00:00:00.000001Z",
                null, null, null);

        assertEquals(Optional.of(Instant.parse("2021-04-10T00:00:00.000001Z")), query.to());
    }

    @Test
    void badFromInstantIsRefused() {
        String detail = refused(null, "2021-04-10", null, null, null, null);

        assertContains("'from' is not an ISO-8601 instant", detail);
        assertContains("'2021-04-10'", detail);
    }

    @Test
    void badToInstantIsRefused() {
        String detail = refused(null, null, "yesterday", null, null, null);

        assertContains("'to' is not an ISO-8601 instant", detail);
        assertContains("'yesterday'", detail);
    }

    @Test
    void badCursorIsRefused() {
        assertContains("'after' is not a cursor", refused(null, null, null, null, "nope!", null));
    }

    @Test
    void sourceBlankOrLongerThan64IsRefused() {
        assertEquals("'source' must match [A-Za-z0-9._:@-]{1,64} (1 to 64 of A-Z a-z 0-9 . _ : @ -), not ' '",
                refused(" ", null, null, null, null, null));
        assertTrue(refused("s".repeat(65), null, null, null, null, null).startsWith("'source' must match"));
        assertTrue(refused("<img src=x onerror=alert(1)>", null, null, null, null, null)
                .startsWith("'source' must match"));
        assertEquals(Optional.of("s".repeat(64)),
                HistoryParameters.parse("s".repeat(64), null, null, null, null, null).source());
    }

    @Test
    void requireSourceRefusesAMissingSource() {
        ProblemException e = assertThrows(ProblemException.class, () -> HistoryParameters.requireSource(null));

        assertEquals(Response.Status.BAD_REQUEST, e.status());
        assertEquals("'source' must not be empty", e.getMessage());
        assertEquals("desk-7", HistoryParameters.requireSource("desk-7"));
    }
}
