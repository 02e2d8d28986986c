package dev.posflow.sample;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The fields of a flat sample object scanned from its bytes, for the shapes producers send: {@code {"id", "x", "y"}}
 * and posflow's own {@code {"source", "x", "y", "sampledAt"}}, in any order, each field once, strings without
 * escapes, coordinates as plain integers. Anything else it declines (null), and {@link SampleReader#readFlat} asks
 * Jackson's parser, which takes every JSON text.
 * <p>
 * Why by hand: ingest created a Jackson parser per record, with its context, symbol table and buffers, 17 % of all
 * that ingest allocated (docs/performance.md, "ingest's garbage"); this allocates the scan, the id's characters and
 * the sample, and what it accepts is standard JSON that the parser reads as the same fields (SampleInputProperties).
 */
final class FlatScan {

    private static final byte[] X = {'x'};
    private static final byte[] Y = {'y'};
    private static final byte[] ID = {'i', 'd'};
    private static final byte[] SAMPLED_AT = "sampledAt".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOURCE = "source".getBytes(StandardCharsets.US_ASCII);

    /** Decimal digits of the widest int, 2147483648 (its negative fits). */
    private static final int MAX_DIGITS = 10;

    private final byte[] json;
    private int at;

    long x = Long.MIN_VALUE;
    long y = Long.MIN_VALUE;
    Instant fromId;
    Instant fromIso;
    String source;

    private FlatScan(byte[] json) {
        this.json = json;
    }

    /**
     * @param json printable ASCII only (the caller has checked): no byte needs decoding
     * @return the fields, or null where the parser is to read the text
     */
    static FlatScan of(byte[] json, CoordinateRange xRange, CoordinateRange yRange, ZoneId seedZone) {
        FlatScan scan = new FlatScan(json);
        return scan.object(xRange, yRange, seedZone) ? scan : null;
    }

    private boolean object(CoordinateRange xRange, CoordinateRange yRange, ZoneId seedZone) {
        skipWhitespace();
        if (!take('{')) {
            return false;
        }
        boolean seenId = false;
        do {
            skipWhitespace();
            int nameStart = at + 1;
            if (!string()) {
                return false;
            }
            int nameLength = at - 1 - nameStart;
            skipWhitespace();
            if (!take(':')) {
                return false;
            }
            skipWhitespace();
            if (is(nameStart, nameLength, X)) {
                if (x != Long.MIN_VALUE || (x = coordinate(xRange)) == Long.MIN_VALUE) {
                    return false;
                }
            } else if (is(nameStart, nameLength, Y)) {
                if (y != Long.MIN_VALUE || (y = coordinate(yRange)) == Long.MIN_VALUE) {
                    return false;
                }
            } else if (is(nameStart, nameLength, ID)) {
                if (seenId || (fromId = seedTime(seedZone)) == null) {
                    return false;
                }
                seenId = true;
            } else if (is(nameStart, nameLength, SAMPLED_AT)) {
                if (fromIso != null || (fromIso = isoTime()) == null) {
                    return false;
                }
            } else if (is(nameStart, nameLength, SOURCE)) {
                if (source != null || (source = sourceName()) == null) {
                    return false;
                }
            } else {
                return false;
            }
            skipWhitespace();
        } while (take(','));
        if (!take('}')) {
            return false;
        }
        skipWhitespace();
        return at == json.length;
    }

    /** A string without escapes or control characters, the scan left after its closing quote. */
    private boolean string() {
        if (!take('"')) {
            return false;
        }
        for (; at < json.length; at++) {
            // JSON refuses a raw tab or line break in a string, which the caller's check lets through
            if (json[at] == '\\' || json[at] < 0x20) {
                return false;
            }
            if (json[at] == '"') {
                at++;
                return true;
            }
        }
        return false;
    }

    /** A plain integer within the range, or Long.MIN_VALUE: no leading zero, no minus zero, no fraction or exponent. */
    private long coordinate(CoordinateRange range) {
        boolean negative = take('-');
        int start = at;
        long value = 0;
        while (at < json.length && json[at] >= '0' && json[at] <= '9' && at - start < MAX_DIGITS + 1) {
            value = value * 10 + (json[at++] - '0');
        }
        int digits = at - start;
        if (digits == 0 || digits > MAX_DIGITS || json[start] == '0' && (digits > 1 || negative)) {
            return Long.MIN_VALUE;
        }
        if (at < json.length && (json[at] == '.' || json[at] == 'e' || json[at] == 'E')) {
            return Long.MIN_VALUE;
        }
        value = negative ? -value : value;
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE && range.contains((int) value) ? value
                : Long.MIN_VALUE;
    }

    private Instant seedTime(ZoneId zone) {
        int start = at + 1;
        if (!string()) {
            return null;
        }
        int length = at - 1 - start;
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = (char) json[start + i];
        }
        return SeedTimestamp.parseOrNull(text, 0, length, zone);
    }

    private Instant isoTime() {
        String text = text();
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String sourceName() {
        String text = text();
        return text != null && SourceName.isValid(text) ? text : null;
    }

    private String text() {
        int start = at + 1;
        return string() ? new String(json, start, at - 1 - start, StandardCharsets.US_ASCII) : null;
    }

    private boolean is(int start, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (json[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean take(char expected) {
        if (at < json.length && json[at] == expected) {
            at++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (at < json.length && (json[at] == ' ' || json[at] == '\t' || json[at] == '\n' || json[at] == '\r')) {
            at++;
        }
    }
}
