package dev.posflow.sample;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How posflow writes an instant, wherever it writes one: the views of the API ({@code dev.posflow.view}: REST, the live
 * stream, the latest snapshot) and the {@code sampledAt} of the samples it publishes to Kafka. ISO-8601 in UTC with
 * all six fractional digits, always, so that readers need not guess the precision. It lives here, beside the seed
 * format's {@link SeedTimestamp}, because both sides use it: the write side must not import the read side's views.
 */
public final class MicrosInstant {

    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(ZoneOffset.UTC);

    /** The length of the text of every instant in years 0 to 9999. */
    public static final int LENGTH = 27;

    private MicrosInstant() {
    }

    /** {@link #FORMAT}'s text, written without a formatter ({@link DateTimeDigits} says why). */
    public static String format(Instant instant) {
        return append(new StringBuilder(LENGTH), instant).toString();
    }

    /** Appends {@link #format}'s text. */
    public static StringBuilder append(StringBuilder to, Instant instant) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (!DateTimeDigits.fitsFourDigits(time)) {
            return to.append(FORMAT.format(instant));
        }
        return DateTimeDigits.append(to, time, "--T::.").append('Z');
    }
}
