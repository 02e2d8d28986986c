package dev.posflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.sample.Sample;
import dev.posflow.sample.SourceName;
import dev.posflow.store.read.HistoryQuery;
import dev.posflow.testing.HostileText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Random and hostile input at every REST parameter parser and at POST's body reader: a valid query or a 400 (413
 * for too many samples), never another exception.
 */
class RequestParameterProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(HostileText.strings(),
                Arbitraries.of("asc", "desc", "1", "1000", "1001", "0", "-1", " 7 ", "99999999999",
                        "2021-04-10T20:51:36Z", "2021-04-10T20:51:37Z", Cursor.encode(
                                new HistoryQuery.Keyset(Instant.parse("2021-04-10T20:51:36Z"), 42))))
                .injectNull(0.2);
    }

    @Property(tries = 3000)
    void historyParametersGiveAValidQueryOrA400(@ForAll("text") String source, @ForAll("text") String from,
            @ForAll("text") String to, @ForAll("text") String limit, @ForAll("text") String after,
            @ForAll("text") String order) {
        HistoryQuery query;
        try {
            query = HistoryParameters.parse(source, from, to, limit, after, order);
        } catch (ProblemException refused) {
            assertEquals(Response.Status.BAD_REQUEST, refused.status());
            return;
        }
        assertTrue(query.limit() >= 1 && query.limit() <= PageLimit.MAX);
        assertTrue(query.source().map(SourceName::isValid).orElse(true), source);
        if (query.from().isPresent() && query.to().isPresent()) {
            assertTrue(query.from().get().isBefore(query.to().get()));
        }
    }

    @Property(tries = 3000)
    void aCursorDecodesOrIsA400(@ForAll("text") String cursor) {
        if (cursor == null) {
            return;
        }
        try {
            Cursor.decode(cursor);
        } catch (ProblemException refused) {
            assertEquals(Response.Status.BAD_REQUEST, refused.status());
        }
    }

    @Property(tries = 1000)
    void everyCursorPosflowGivesOutDecodesToItsKeyset(
            @ForAll @LongRange(min = -30_000_000_000L, max = 250_000_000_000L) long epochSecond,
            @ForAll @LongRange(min = 0, max = 999_999) long micros, @ForAll @LongRange(min = 1) long id) {
        HistoryQuery.Keyset keyset = new HistoryQuery.Keyset(Instant.ofEpochSecond(epochSecond, micros * 1000), id);
        assertEquals(keyset, Cursor.decode(Cursor.encode(keyset)));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> element = Arbitraries.oneOf(
                Arbitraries.of("{\"x\": 1, \"y\": 2}", "{\"x\": 1}", "{\"source\": \"a b\", \"x\": 1, \"y\": 2}",
                        "{\"source\": \"ok-1\", \"x\": 3, \"y\": 4, \"sampledAt\": \"2021-04-10T20:51:36Z\"}",
                        "[]", "null", "\"x\"", "{", "}", "[[[[[[", "{\"x\": 1e400, \"y\": 2}"),
                HostileText.strings());
        return Arbitraries.oneOf(element,
                element.list().ofMaxSize(8).map(list -> "[" + String.join(",", list) + "]"),
                Arbitraries.strings().withChars("{}[],:\"xy0123456789 ").ofMaxLength(60));
    }

    @Property(tries = 3000)
    void aBodyGivesValidSamplesOrA400Or413(@ForAll("bodies") String body) {
        List<Sample> samples;
        try {
            samples = SampleBody.parse(JSON, body, new dev.posflow.sample.SampleReader(ZoneOffset.UTC), 5,
                    Instant.parse("2024-01-02T03:04:05Z"));
        } catch (ProblemException refused) {
            assertTrue(refused.status() == Response.Status.BAD_REQUEST
                    || refused.status() == Response.Status.REQUEST_ENTITY_TOO_LARGE, refused.status().toString());
            return;
        }
        assertTrue(!samples.isEmpty() && samples.size() <= 5);
        samples.forEach(sample -> assertTrue(sample.source().map(SourceName::isValid).orElse(true)));
    }
}
