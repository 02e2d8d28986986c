package dev.posflow.sample;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * The {@code id} of the seed format: Python's {@code %Y/%m/%d-%H:%M:%S:%f}, a local wall-clock time with six
 * fractional digits after a colon, e.g. {@code 2021/04/10-20:51:36:287301}.
 */
public final class SeedTimestamp {

    private static final Pattern SHAPE = Pattern.compile("\\d{4}/\\d{2}/\\d{2}-\\d{2}:\\d{2}:\\d{2}:\\d{6}");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu/MM/dd-HH:mm:ss:SSSSSS")
            .withResolverStyle(ResolverStyle.STRICT);

    private SeedTimestamp() {
    }

    public static Instant parse(String id, ZoneId zone) throws InvalidSampleException {
        if (!SHAPE.matcher(id).matches()) {
            throw new InvalidSampleException("id '" + id + "' is not a sampling time of the form yyyy/MM/dd-HH:mm:ss:SSSSSS");
        }
        try {
            return LocalDateTime.parse(id, FORMAT).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidSampleException("id '" + id + "' is not a valid date and time: " + e.getMessage());
        }
    }

    public static String format(Instant instant, ZoneId zone) {
        return FORMAT.format(instant.atZone(zone));
    }
}
