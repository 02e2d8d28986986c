package dev.posflow.sample;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;

/**
 * The {@code id} of the seed format: Python's {@code %Y/%m/%d-%H:%M:%S:%f}, a local wall-clock time with six
 * fractional digits after a colon, e.g. {@code 2021/04/10-20:51:36:287301}.
 */
public final class SeedTimestamp {

    /** d: an ASCII digit; anything else stands for itself. */
    private static final String SHAPE = "dddd/dd/dd-dd:dd:dd:dddddd";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu/MM/dd-HH:mm:ss:SSSSSS")
            .withResolverStyle(ResolverStyle.STRICT);

    private SeedTimestamp() {
    }

    public static Instant parse(String id, ZoneId zone) throws InvalidSampleException {
        if (!hasShape(id)) {
            throw new InvalidSampleException("id " + quoted(id) + " is not a sampling time of the form yyyy/MM/dd-HH:mm:ss:SSSSSS");
        }
        // Read by position rather than with FORMAT: every record's id goes through here, and the regex plus
        // DateTimeFormatter took 12 % of the ingest thread's CPU (docs/runs/2026-11-26-issue4.md). LocalDateTime.of still
        // refuses what the strict formatter refused (February 30th, hour 24, ...).
        try {
            return LocalDateTime.of(number(id, 0, 4), number(id, 5, 2), number(id, 8, 2), number(id, 11, 2),
                    number(id, 14, 2), number(id, 17, 2), number(id, 20, 6) * 1000).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidSampleException("id '" + id + "' is not a valid date and time: " + e.getMessage());
        }
    }

    /** The id as a reason shows it: a 600,000-character id would otherwise be echoed whole, in a header or a 400. */
    private static String quoted(String id) {
        return id.length() <= 40 ? "'" + id + "'" : "'" + id.substring(0, 40) + "…' (" + id.length() + " characters)";
    }

    /**
     * The same for the id's characters in {@code text[offset, offset + length)} (a JSON parser's buffer), or null
     * where {@link #parse(String, ZoneId)} would refuse it: its caller then takes that path for the reason.
     */
    public static Instant parseOrNull(char[] text, int offset, int length, ZoneId zone) {
        if (length != SHAPE.length()) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            char expected = SHAPE.charAt(i);
            char actual = text[offset + i];
            if (expected == 'd' ? actual < '0' || actual > '9' : actual != expected) {
                return null;
            }
        }
        try {
            return LocalDateTime.of(number(text, offset, 4), number(text, offset + 5, 2), number(text, offset + 8, 2),
                    number(text, offset + 11, 2), number(text, offset + 14, 2), number(text, offset + 17, 2),
                    number(text, offset + 20, 6) * 1000).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int number(char[] text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }

    private static boolean hasShape(String id) {
        if (id.length() != SHAPE.length()) {
            return false;
        }
        for (int i = 0; i < SHAPE.length(); i++) {
            char expected = SHAPE.charAt(i);
            char actual = id.charAt(i);
            if (expected == 'd' ? actual < '0' || actual > '9' : actual != expected) {
                return false;
            }
        }
        return true;
    }

    /** The ASCII digits at [from, from + length), already checked by {@link #hasShape}. */
    private static int number(String id, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            value = value * 10 + (id.charAt(i) - '0');
        }
        return value;
    }

    /** The instant's wall-clock time in the zone, as {@link #FORMAT} writes it, without a formatter ({@link DateTimeDigits}). */
    public static String format(Instant instant, ZoneId zone) {
        return append(new StringBuilder(SHAPE.length()), instant, zone).toString();
    }

    /** Appends {@link #format}'s text. */
    public static StringBuilder append(StringBuilder to, Instant instant, ZoneId zone) {
        LocalDateTime time = LocalDateTime.ofInstant(instant, zone);
        if (!DateTimeDigits.fitsFourDigits(time)) {
            return to.append(FORMAT.format(instant.atZone(zone)));
        }
        return DateTimeDigits.append(to, time, "//-:::");
    }
}
