package dev.posflow.store.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class UtcMicrosConverterTest {

    private final UtcMicrosConverter converter = new UtcMicrosConverter();

    @Test
    void writesUtcTextWithMicroseconds() {
        assertEquals("2021-04-10 20:51:36.287301",
                converter.convertToDatabaseColumn(Instant.parse("2021-04-10T20:51:36.287301Z")));
    }

    @Test
    void writesSixFractionalDigitsForWholeSeconds() {
        assertEquals("2021-04-10 20:51:36.000000",
                converter.convertToDatabaseColumn(Instant.parse("2021-04-10T20:51:36Z")));
    }

    @Test
    void writesInUtcWhateverTheOffsetTheInstantWasParsedWith() {
        assertEquals("2021-04-10 18:51:36.287301",
                converter.convertToDatabaseColumn(Instant.parse("2021-04-10T20:51:36.287301+02:00")));
    }

    /** Ingest writes its rows' times straight into the statement's text: the same text as the converter's. */
    @Test
    void appendsTheSameTextItConverts() {
        for (String iso : new String[] { "2021-04-10T20:51:36.287301Z", "1000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.000001Z", "2021-04-10T20:51:36.287301999Z" }) {
            StringBuilder text = new StringBuilder("'");
            assertEquals(true, UtcMicrosConverter.appendDatabaseColumn(text, Instant.parse(iso)), iso);
            assertEquals("'" + converter.convertToDatabaseColumn(Instant.parse(iso)), text.toString(), iso);
        }
        StringBuilder text = new StringBuilder();
        assertEquals(false, UtcMicrosConverter.appendDatabaseColumn(text, Instant.parse("+10000-01-01T00:00:00Z")));
        assertEquals("", text.toString());
    }

    @Test
    void readsBackWhatItWrites() {
        for (String iso : new String[] { "2021-04-10T20:51:36.287301Z", "1000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.000001Z" }) {
            Instant instant = Instant.parse(iso);
            assertEquals(instant, converter.convertToEntityAttribute(converter.convertToDatabaseColumn(instant)), iso);
        }
    }

    @Test
    void readsSixFractionalDigitsAsUtc() {
        assertEquals(Instant.parse("2021-04-10T20:51:36.287301Z"),
                converter.convertToEntityAttribute("2021-04-10 20:51:36.287301"));
    }

    @Test
    void readsOneToFiveFractionalDigits() {
        assertEquals(Instant.parse("2021-04-10T20:51:36.2Z"), converter.convertToEntityAttribute("2021-04-10 20:51:36.2"));
        assertEquals(Instant.parse("2021-04-10T20:51:36.28Z"), converter.convertToEntityAttribute("2021-04-10 20:51:36.28"));
        assertEquals(Instant.parse("2021-04-10T20:51:36.287Z"),
                converter.convertToEntityAttribute("2021-04-10 20:51:36.287"));
        assertEquals(Instant.parse("2021-04-10T20:51:36.2873Z"),
                converter.convertToEntityAttribute("2021-04-10 20:51:36.2873"));
        assertEquals(Instant.parse("2021-04-10T20:51:36.28730Z"),
                converter.convertToEntityAttribute("2021-04-10 20:51:36.28730"));
    }

    @Test
    void readsZeroFractionalDigitsAfterTheDot() {
        assertEquals(Instant.parse("2021-04-10T20:51:36Z"), converter.convertToEntityAttribute("2021-04-10 20:51:36.0"));
        assertEquals(Instant.parse("2021-04-10T20:51:36Z"), converter.convertToEntityAttribute("2021-04-10 20:51:36."));
    }

    @Test
    void readsTextWithoutFraction() {
        assertEquals(Instant.parse("2021-04-10T20:51:36Z"), converter.convertToEntityAttribute("2021-04-10 20:51:36"));
    }

    @Test
    void nullStaysNull() {
        assertNull(converter.convertToDatabaseColumn(null));
        assertNull(converter.convertToEntityAttribute(null));
    }

    @Test
    void writesWhatTheFormatterWritesForManyInstants() {
        java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(-62_000_000_000L + (long) (random.nextDouble() * 315_000_000_000L),
                    random.nextInt(1_000_000_000));
            assertEquals(formatter.format(instant.atOffset(java.time.ZoneOffset.UTC)),
                    converter.convertToDatabaseColumn(instant), instant.toString());
        }
    }

    @Test
    void writesYearsBeyondFourDigitsLikeTheFormatter() {
        assertEquals("+10000-01-01 00:00:00.000000",
                converter.convertToDatabaseColumn(Instant.parse("+10000-01-01T00:00:00Z")));
    }
}
