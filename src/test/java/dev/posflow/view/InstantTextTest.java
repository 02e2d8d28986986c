package dev.posflow.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.posflow.sample.MicrosInstant;

class InstantTextTest {

    private static final String DATETIME = "2021-04-10 20:51:36.287301";

    @Test
    void aDatetimeReadAsTextBecomesTheInstantTheApiWrites() {
        String expected = MicrosInstant.format(Instant.parse("2021-04-10T20:51:36.287301Z"));

        assertEquals(expected, InstantText.of(DATETIME));
        assertEquals(expected,
                new String(InstantText.of(DATETIME.getBytes(StandardCharsets.US_ASCII), new char[InstantText.LENGTH])));
    }

    @Test
    void allZeroMicrosecondsKeepTheirSixDigits() {
        assertEquals("2021-04-10T20:51:36.000000Z", InstantText.of("2021-04-10 20:51:36.000000"));
    }

    @Test
    void noDatetimeStaysNone() {
        assertNull(InstantText.of((String) null));
    }
}
