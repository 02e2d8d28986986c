package dev.posflow.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SampleReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final SampleReader UTC_READER = new SampleReader(ZoneOffset.UTC);

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Sample read(String text) throws InvalidSampleException {
        return UTC_READER.read(json(text), Optional.empty());
    }

    private static String reason(String text) {
        return reason(UTC_READER, text, Optional.empty());
    }

    private static String reason(SampleReader reader, String text, Optional<Instant> defaultTime) {
        InvalidSampleException e = assertThrows(InvalidSampleException.class,
                () -> reader.read(json(text), defaultTime));
        return e.getMessage();
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    @Test
    void samplingTimeBeyondMaxFutureIsRefusedOnBothPathsWhileSkewWithinItIsTaken() throws Exception {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        SampleReader reader = new SampleReader(ZoneOffset.UTC, CoordinateRange.ALL, CoordinateRange.ALL,
                java.time.Duration.ofMinutes(5), java.time.Clock.fixed(now, ZoneOffset.UTC));
        String within = "{\"sampledAt\": \"2026-12-04T12:05:00Z\", \"x\": 1, \"y\": 2}";
        String beyond = "{\"sampledAt\": \"2026-12-04T12:05:00.000001Z\", \"x\": 1, \"y\": 2}";
        String seedBeyond = "{\"id\": \"9999/01/01-00:00:00:000000\", \"x\": 1, \"y\": 2}";

        assertEquals(Instant.parse("2026-12-04T12:05:00Z"), reader.read(json(within), Optional.empty()).sampledAt());
        assertEquals(Instant.parse("2026-12-04T12:05:00Z"),
                reader.readFlat(JSON.reader(), within.getBytes(java.nio.charset.StandardCharsets.UTF_8)).sampledAt());
        for (String late : new String[] { beyond, seedBeyond }) {
            assertEquals(null, reader.readFlat(JSON.reader(), late.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "the flat path leaves the refusal to the tree path, which gives the reason");
            String reason = reason(reader, late, Optional.empty());
            assertContains("is more than PT5M after the time it was received (2026-12-04T12:00:00Z)", reason);
            assertContains("posflow.sample.max-future", reason);
        }
    }

    @Test
    void seedIdIsReadInUtcWithMicroseconds() throws Exception {
        Sample sample = read("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 454}");

        assertEquals(Instant.parse("2021-04-10T20:51:36.287301Z"), sample.sampledAt());
        assertEquals(910, sample.x());
        assertEquals(454, sample.y());
        assertEquals(Optional.empty(), sample.source());
    }

    /** Kafka ingest's path without a tree takes the seed format and posflow's own, and reads them as the tree does. */
    @Test
    void commonShapesAreReadFlatFromTheirBytes() throws Exception {
        SampleReader paris = new SampleReader(PARIS);
        for (String text : new String[] { "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 454}",
                "{\"source\":\"bus-7\",\"x\":-3,\"y\":0,\"sampledAt\":\"2021-04-10T20:51:36.287301Z\"}",
                " {\"x\": 1,\n \"y\": 2, \"id\": \"2021/01/10-20:51:36:000001\", \"source\": \"a:b@c.d_e-f\"}\n" }) {
            Sample flat = paris.readFlat(JSON.reader(), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(paris.read(json(text), Optional.empty()), flat, text);
        }
    }

    @Test
    void seedIdIsReadInTheConfiguredZoneWithMicroseconds() throws Exception {
        Sample sample = new SampleReader(PARIS)
                .read(json("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 454}"), Optional.empty());

        // Paris is on summer time (UTC+2) on 10 April 2021
        assertEquals(Instant.parse("2021-04-10T18:51:36.287301Z"), sample.sampledAt());
    }

    @Test
    void seedIdInWinterIsReadWithTheWinterOffsetOfTheZone() throws Exception {
        Sample sample = new SampleReader(PARIS)
                .read(json("{\"id\": \"2021/01/10-20:51:36:000001\", \"x\": 1, \"y\": 2}"), Optional.empty());

        assertEquals(Instant.parse("2021-01-10T19:51:36.000001Z"), sample.sampledAt());
    }

    @Test
    void sampledAtWinsOverId() throws Exception {
        Sample sample = new SampleReader(PARIS).read(json("{\"id\": \"2021/04/10-20:51:36:287301\","
                + " \"sampledAt\": \"2022-05-06T07:08:09.123456Z\", \"x\": 1, \"y\": 2}"), Optional.empty());

        assertEquals(Instant.parse("2022-05-06T07:08:09.123456Z"), sample.sampledAt());
    }

    @Test
    void sampledAtWithAnOffsetIsConvertedToTheInstant() throws Exception {
        Sample sample = read("{\"sampledAt\": \"2021-04-10T22:51:36.287301+02:00\", \"x\": 1, \"y\": 2}");

        assertEquals(Instant.parse("2021-04-10T20:51:36.287301Z"), sample.sampledAt());
    }

    @Test
    void sampledAtIsTruncatedToMicroseconds() throws Exception {
        Sample sample = read("{\"sampledAt\": \"2021-04-10T20:51:36.287301999Z\", \"x\": 1, \"y\": 2}");

        assertEquals(Instant.parse("2021-04-10T20:51:36.287301Z"), sample.sampledAt());
    }

    @Test
    void sourceFieldIsRead() throws Exception {
        Sample sample = read("{\"source\": \"desk-7\", \"sampledAt\": \"2021-04-10T20:51:36Z\", \"x\": -3, \"y\": 0}");

        assertEquals(Optional.of("desk-7"), sample.source());
        assertEquals(-3, sample.x());
        assertEquals(0, sample.y());
    }

    @Test
    void sourceOf64CharactersIsAccepted() throws Exception {
        String name = "s".repeat(64);
        Sample sample = read("{\"source\": \"" + name + "\", \"id\": \"2021/04/10-20:51:36:287301\", \"x\": 1, \"y\": 2}");

        assertEquals(Optional.of(name), sample.source());
    }

    @Test
    void nonObjectIsRefused() {
        assertContains("must be a JSON object", reason("[1, 2]"));
        assertContains("must be a JSON object, not number 42", reason("42"));
        assertContains("must be a JSON object, not string \"x\"", reason("\"x\""));
        InvalidSampleException e = assertThrows(InvalidSampleException.class,
                () -> UTC_READER.read(null, Optional.empty()));
        assertEquals("a sample must be a JSON object, not nothing", e.getMessage());
    }

    @Test
    void missingXIsRefused() {
        assertEquals("'x' is missing", reason("{\"id\": \"2021/04/10-20:51:36:287301\", \"y\": 454}"));
    }

    @Test
    void nullYIsRefusedAsMissing() {
        assertEquals("'y' is missing", reason("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 1, \"y\": null}"));
    }

    @Test
    void fractionalXIsRefused() {
        String reason = reason("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910.5, \"y\": 454}");

        assertContains("'x' must be an integer", reason);
        assertContains("910.5", reason);
    }

    @Test
    void stringXIsRefused() {
        String reason = reason("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": \"910\", \"y\": 454}");

        assertEquals("'x' must be an integer, not string \"910\"", reason);
    }

    @Test
    void xOutOfIntRangeIsRefused() {
        String reason = reason("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 3000000000, \"y\": 454}");

        assertContains("'x' is out of range", reason);
        assertContains("3000000000", reason);
        assertContains("-2147483648 to 2147483647", reason);
    }

    @Test
    void intExtremesAreAccepted() throws Exception {
        Sample sample = read("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 2147483647, \"y\": -2147483648}");

        assertEquals(Integer.MAX_VALUE, sample.x());
        assertEquals(Integer.MIN_VALUE, sample.y());
    }

    @Test
    void malformedIdIsRefused() {
        String reason = reason("{\"id\": \"2021-04-10 20:51:36\", \"x\": 910, \"y\": 454}");

        assertContains("id '2021-04-10 20:51:36'", reason);
        assertContains("yyyy/MM/dd-HH:mm:ss:SSSSSS", reason);
    }

    @Test
    void idWithoutMicrosecondsIsRefused() {
        assertContains("id '2021/04/10-20:51:36'",
                reason("{\"id\": \"2021/04/10-20:51:36\", \"x\": 910, \"y\": 454}"));
    }

    @Test
    void idWithAnImpossibleDateIsRefused() {
        String reason = reason("{\"id\": \"2021/02/30-20:51:36:287301\", \"x\": 910, \"y\": 454}");

        assertContains("id '2021/02/30-20:51:36:287301' is not a valid date and time", reason);
    }

    @Test
    void idWithAnImpossibleHourIsRefused() {
        assertContains("is not a valid date and time",
                reason("{\"id\": \"2021/04/10-24:51:36:287301\", \"x\": 910, \"y\": 454}"));
    }

    @Test
    void nonStringIdIsRefused() {
        assertContains("'id' must be a string", reason("{\"id\": 20210410, \"x\": 910, \"y\": 454}"));
    }

    @Test
    void sampledAtNotIsoIsRefused() {
        String reason = reason("{\"sampledAt\": \"10/04/2021 20:51\", \"x\": 910, \"y\": 454}");

        assertContains("'sampledAt' is not an ISO-8601 instant", reason);
        assertContains("'10/04/2021 20:51'", reason);
    }

    @Test
    void sampledAtWithoutZoneIsRefused() {
        assertContains("'sampledAt' is not an ISO-8601 instant",
                reason("{\"sampledAt\": \"2021-04-10T20:51:36\", \"x\": 910, \"y\": 454}"));
    }

    @Test
    void nonStringSampledAtIsRefused() {
        assertContains("'sampledAt' must be an ISO-8601 string, not number 1618087896",
                reason("{\"sampledAt\": 1618087896, \"x\": 910, \"y\": 454}"));
    }

    @Test
    void blankSourceIsRefused() {
        String reason = reason("{\"source\": \"  \", \"id\": \"2021/04/10-20:51:36:287301\", \"x\": 1, \"y\": 2}");

        assertContains("'source' must match [A-Za-z0-9._:@-]{1,64}", reason);
    }

    @Test
    void nonStringSourceIsRefused() {
        assertContains("'source' must be a string, not number 7",
                reason("{\"source\": 7, \"id\": \"2021/04/10-20:51:36:287301\", \"x\": 1, \"y\": 2}"));
    }

    @Test
    void sourceOf65CharactersIsRefused() {
        String reason = reason("{\"source\": \"" + "s".repeat(65)
                + "\", \"id\": \"2021/04/10-20:51:36:287301\", \"x\": 1, \"y\": 2}");

        assertContains("'source' must match [A-Za-z0-9._:@-]{1,64}", reason);
        assertContains("(65 characters)", reason);
    }

    @Test
    void sampleWithoutIdOrSampledAtIsRefusedWithoutADefault() {
        assertEquals("'id' (or 'sampledAt') is missing", reason("{\"x\": 910, \"y\": 454}"));
    }

    @Test
    void defaultTimeIsUsedWhenAllowedAndTruncatedToMicroseconds() throws Exception {
        Sample sample = UTC_READER.read(json("{\"x\": 910, \"y\": 454}"),
                Optional.of(Instant.parse("2024-01-02T03:04:05.123456789Z")));

        assertEquals(Instant.parse("2024-01-02T03:04:05.123456Z"), sample.sampledAt());
    }

    @Test
    void defaultTimeDoesNotOverrideTheSamplesOwnTime() throws Exception {
        Sample sample = UTC_READER.read(json("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 454}"),
                Optional.of(Instant.parse("2024-01-02T03:04:05Z")));

        assertEquals(Instant.parse("2021-04-10T20:51:36.287301Z"), sample.sampledAt());
    }

    @Test
    void yearsBefore1000AreRefused() {
        assertContains("outside years 1000 to 9999",
                reason("{\"id\": \"0999/12/31-23:59:59:999999\", \"x\": 1, \"y\": 2}"));
        assertContains("outside years 1000 to 9999",
                reason("{\"sampledAt\": \"0999-12-31T23:59:59.999999Z\", \"x\": 1, \"y\": 2}"));
    }

    @Test
    void yearsAfter9999AreRefused() {
        assertContains("outside years 1000 to 9999",
                reason("{\"sampledAt\": \"+10000-01-01T00:00:00Z\", \"x\": 1, \"y\": 2}"));
        assertContains("outside years 1000 to 9999", reason(UTC_READER, "{\"x\": 1, \"y\": 2}",
                Optional.of(Instant.parse("+10000-01-01T00:00:00Z"))));
    }

    @Test
    void firstAndLastMicrosecondOfTheAllowedYearsAreAccepted() throws Exception {
        assertEquals(Instant.parse("1000-01-01T00:00:00Z"),
                read("{\"id\": \"1000/01/01-00:00:00:000000\", \"x\": 1, \"y\": 2}").sampledAt());
        assertEquals(Instant.parse("9999-12-31T23:59:59.999999Z"),
                read("{\"id\": \"9999/12/31-23:59:59:999999\", \"x\": 1, \"y\": 2}").sampledAt());
    }
}
