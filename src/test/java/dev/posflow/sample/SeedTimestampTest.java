package dev.posflow.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

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
}
