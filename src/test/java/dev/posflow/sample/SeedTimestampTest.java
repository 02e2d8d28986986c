package dev.posflow.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeedTimestampTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void parseReadsTheSeedFormatWithMicroseconds() throws Exception {
        assertEquals(Instant.parse("2021-04-10T20:51:36.287301Z"),
                SeedTimestamp.parse("2021/04/10-20:51:36:287301", ZoneOffset.UTC));
    }

    @Test
    void formatWritesTheSeedFormatInTheZone() {
        Instant instant = Instant.parse("2021-04-10T18:51:36.287301Z");

        assertEquals("2021/04/10-18:51:36:287301", SeedTimestamp.format(instant, ZoneOffset.UTC));
        assertEquals("2021/04/10-20:51:36:287301", SeedTimestamp.format(instant, PARIS));
    }

    @Test
    void formatThenParseRoundTripKeepsMicroseconds() throws Exception {
        for (String iso : new String[] { "2021-04-10T20:51:36.287301Z", "2021-12-31T23:59:59.999999Z",
                "1970-01-01T00:00:00.000001Z", "1969-12-31T23:59:59.999999Z" }) {
            Instant instant = Instant.parse(iso);
            for (ZoneId zone : new ZoneId[] { ZoneOffset.UTC, PARIS }) {
                assertEquals(instant, SeedTimestamp.parse(SeedTimestamp.format(instant, zone), zone), iso + " " + zone);
            }
        }
    }

    @Test
    void parseThenFormatRoundTripKeepsTheText() throws Exception {
        String id = "2021/04/10-20:51:36:287301";

        assertEquals(id, SeedTimestamp.format(SeedTimestamp.parse(id, PARIS), PARIS));
    }

    @Test
    void formatWritesSixFractionalDigitsEvenForWholeSeconds() {
        assertEquals("2021/04/10-20:51:36:000000",
                SeedTimestamp.format(Instant.parse("2021-04-10T20:51:36Z"), ZoneOffset.UTC));
    }

    @Test
    void formatWritesLeadingZerosOfTheMicroseconds() {
        assertEquals("2021/04/10-20:51:36:000042",
                SeedTimestamp.format(Instant.parse("2021-04-10T20:51:36.000042Z"), ZoneOffset.UTC));
    }

    @Test
    void parseRefusesOtherShapesAndImpossibleDates() {
        InvalidSampleException shape = assertThrows(InvalidSampleException.class,
                () -> SeedTimestamp.parse("2021/04/10-20:51:36.287301", ZoneOffset.UTC));
        assertEquals("id '2021/04/10-20:51:36.287301' is not a sampling time of the form yyyy/MM/dd-HH:mm:ss:SSSSSS",
                shape.getMessage());

        InvalidSampleException date = assertThrows(InvalidSampleException.class,
                () -> SeedTimestamp.parse("2021/02/29-00:00:00:000000", ZoneOffset.UTC));
        assertEquals(true, date.getMessage().startsWith("id '2021/02/29-00:00:00:000000' is not a valid date and time"),
                date.getMessage());
    }

    @Test
    void parseAcceptsLeapDays() throws Exception {
        assertEquals(Instant.parse("2020-02-29T00:00:00Z"),
                SeedTimestamp.parse("2020/02/29-00:00:00:000000", ZoneOffset.UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2021/04/10-24:00:00:000000", "2021/13/10-20:51:36:287301", "2021/04/31-20:51:36:287301",
            "2021/04/10-20:60:36:287301", "2021/04/10-20:51:60:287301", "2021/00/10-20:51:36:287301" })
    void parseRefusesOutOfRangeFields(String id) {
        InvalidSampleException e = assertThrows(InvalidSampleException.class, () -> SeedTimestamp.parse(id, ZoneOffset.UTC));
        assertEquals(true, e.getMessage().startsWith("id '" + id + "' is not a valid date and time"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "2021/04/10-20:51:36:28730", "2021/04/10-20:51:36:2873011", "2021-04-10-20:51:36:287301",
            "2021/04/10 20:51:36:287301", "2021/04/10-20:51:36:28730x", "2021/04/10-20:51:36:28730\u0661",
            "+021/04/10-20:51:36:287301", "" })
    void parseRefusesAnythingButTheExactShape(String id) {
        InvalidSampleException e = assertThrows(InvalidSampleException.class, () -> SeedTimestamp.parse(id, ZoneOffset.UTC));
        assertEquals(true, e.getMessage().endsWith("is not a sampling time of the form yyyy/MM/dd-HH:mm:ss:SSSSSS"),
                e.getMessage());
    }

    @Test
    void parseAgreesWithTheStrictFormatterOnManyTimes() throws Exception {
        java.time.format.DateTimeFormatter strict = java.time.format.DateTimeFormatter
                .ofPattern("uuuu/MM/dd-HH:mm:ss:SSSSSS").withResolverStyle(java.time.format.ResolverStyle.STRICT);
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(-30_000_000_000L + (long) (random.nextDouble() * 250_000_000_000L),
                    random.nextInt(1_000_000) * 1000);
            String id = strict.format(instant.atZone(PARIS));
            assertEquals(java.time.LocalDateTime.parse(id, strict).atZone(PARIS).toInstant(), SeedTimestamp.parse(id, PARIS), id);
        }
    }
}
