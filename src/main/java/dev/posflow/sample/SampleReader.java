package dev.posflow.sample;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a sample from JSON in any accepted shape: the seed format {@code {"id", "x", "y"}} and posflow's own
 * {@code {"source", "x", "y", "sampledAt"}}, or both at once (sampledAt wins over id: it carries its zone).
 * Kafka ingest and POST /positions share it so that both accept and refuse exactly the same samples.
 */
public final class SampleReader {

    // DATETIME(6) holds years 1000 to 9999
    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final ZoneId seedZone;
    private final CoordinateRange xRange;
    private final CoordinateRange yRange;
    private final Duration maxFuture;
    private final Clock clock;

    /** Coordinates anywhere in the 32-bit range, sampling times anywhere in years 1000 to 9999. */
    public SampleReader(ZoneId seedZone) {
        this(seedZone, CoordinateRange.ALL, CoordinateRange.ALL);
    }

    /** Sampling times anywhere in years 1000 to 9999. */
    public SampleReader(ZoneId seedZone, CoordinateRange xRange, CoordinateRange yRange) {
        this(seedZone, xRange, yRange, null, Clock.systemUTC());
    }

    /**
     * @param maxFuture how far after the clock's time (when the sample is read, i.e. received) its sampling time may
     *        lie; null for no bound
     */
    public SampleReader(ZoneId seedZone, CoordinateRange xRange, CoordinateRange yRange, Duration maxFuture,
            Clock clock) {
        this.seedZone = seedZone;
        this.xRange = xRange;
        this.yRange = yRange;
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    /**
     * @param defaultTime the sampling time to take when the JSON has neither sampledAt nor id; empty makes one of
     *        them required
     */
    public Sample read(JsonNode json, Optional<Instant> defaultTime) throws InvalidSampleException {
        if (json == null || !json.isObject()) {
            throw new InvalidSampleException("a sample must be a JSON object, not " + describe(json));
        }
        int x = coordinate(json, "x", xRange);
        int y = coordinate(json, "y", yRange);
        Instant sampledAt = sampledAt(json, defaultTime).truncatedTo(ChronoUnit.MICROS);
        if (sampledAt.isBefore(EARLIEST) || sampledAt.isAfter(LATEST)) {
            throw new InvalidSampleException("sampling time " + sampledAt + " is outside years 1000 to 9999");
        }
        Instant latestAccepted = latestAccepted();
        if (sampledAt.isAfter(latestAccepted)) {
            throw new InvalidSampleException("sampling time " + sampledAt + " is more than " + maxFuture
                    + " after the time it was received (" + latestAccepted.minus(maxFuture)
                    + "); posflow.sample.max-future allows clock skew up to that much");
        }
        return new Sample(source(json), sampledAt, x, y);
    }

    /**
     * The common case read straight from the bytes, without a tree or a string per value: a flat JSON object of
     * ASCII text whose fields are {@code x}, {@code y} and {@code id} or {@code sampledAt}, optionally {@code source},
     * each once, each of the right type and valid. Anything else returns null, and the caller reads the same bytes
     * with {@code reader} and {@link #read(JsonNode, Optional)} (no default time), which decides and gives the reason: what this accepts,
     * that accepts as the same sample. The shapes producers send are scanned without a parser ({@link FlatScan}),
     * the rest goes through {@code reader}'s parser.
     * <p>
     * Why ASCII only: the tree path reads the value as Java text decoded as UTF-8 with replacement, while a byte
     * parser detects encodings and refuses malformed UTF-8; on ASCII both see the same characters.
     */
    public Sample readFlat(ObjectReader reader, byte[] json) {
        if (!printableAscii(json)) {
            return null;
        }
        Sample scanned = scanFlat(json);
        return scanned != null ? scanned : parseFlat(reader, json);
    }

    /** The shapes producers send, scanned without a parser ({@link FlatScan}); null where it declines. */
    Sample scanFlat(byte[] json) {
        FlatScan scan = FlatScan.of(json, xRange, yRange, seedZone);
        return scan == null ? null : flatSample(scan.x, scan.y, scan.fromId, scan.fromIso, scan.source, null);
    }

    /** {@link #readFlat} by Jackson's parser, on printable ASCII. */
    Sample parseFlat(ObjectReader reader, byte[] json) {
        // the reader's parser: the same factory and parser features as the tree path's
        try (JsonParser parser = reader.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Sample sample = readFlatObject(parser, null);
            return sample != null && parser.nextToken() == null ? sample : null;
        } catch (IOException | RuntimeException e) {
            // malformed JSON, or a limit of the parser: the tree path says which
            return null;
        }
    }

    /**
     * {@link #readFlat}'s reading of one object, on a parser at its {@code START_OBJECT} (an element of POST's array,
     * read without a tree): the sample, or null where {@link #read(JsonNode, Optional)} is to decide and say why.
     * Either way the parser is left at the object's {@code END_OBJECT}.
     *
     * @param defaultTime the sampling time when the object has neither sampledAt nor id; null makes one required
     * @throws IOException where the text is not JSON, as the tree's parser would say
     */
    public Sample readFlatObject(JsonParser parser, Instant defaultTime) throws IOException {
        Sample sample = flatFields(parser, defaultTime);
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            // left at a field's value: skip it and the fields after it
            parser.skipChildren();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                parser.nextToken();
                parser.skipChildren();
            }
        }
        return sample;
    }

    private Sample flatFields(JsonParser parser, Instant defaultTime) throws IOException {
        long x = Long.MIN_VALUE;
        long y = Long.MIN_VALUE;
        Instant fromId = null;
        Instant fromIso = null;
        String source = null;
        boolean seenId = false;
        boolean seenIso = false;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "x" -> {
                    if (x != Long.MIN_VALUE || (x = flatCoordinate(parser, value, xRange)) == Long.MIN_VALUE) {
                        return null;
                    }
                }
                case "y" -> {
                    if (y != Long.MIN_VALUE || (y = flatCoordinate(parser, value, yRange)) == Long.MIN_VALUE) {
                        return null;
                    }
                }
                case "id" -> {
                    if (seenId || value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    seenId = true;
                    fromId = SeedTimestamp.parseOrNull(parser.getTextCharacters(), parser.getTextOffset(),
                            parser.getTextLength(), seedZone);
                    if (fromId == null) {
                        return null;
                    }
                }
                case "sampledAt" -> {
                    if (seenIso || value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    seenIso = true;
                    try {
                        fromIso = Instant.parse(parser.getText());
                    } catch (DateTimeParseException e) {
                        return null;
                    }
                }
                case "source" -> {
                    if (source != null || value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    source = parser.getText();
                    if (!SourceName.isValid(source)) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (token != JsonToken.END_OBJECT) {
            return null;
        }
        return flatSample(x, y, fromId, fromIso, source, defaultTime);
    }

    /** The sample of a flat object's fields, or null where the tree path is to decide and say why. */
    private Sample flatSample(long x, long y, Instant fromId, Instant fromIso, String source, Instant defaultTime) {
        if (x == Long.MIN_VALUE || y == Long.MIN_VALUE) {
            return null;
        }
        Instant sampledAt = fromIso != null ? fromIso : fromId != null ? fromId : defaultTime;
        if (sampledAt == null) {
            return null;
        }
        sampledAt = sampledAt.truncatedTo(ChronoUnit.MICROS);
        if (sampledAt.isBefore(EARLIEST) || sampledAt.isAfter(LATEST) || sampledAt.isAfter(latestAccepted())) {
            return null;
        }
        return new Sample(Optional.ofNullable(source), sampledAt, (int) x, (int) y);
    }

    /** The latest sampling time taken now: a sample from further ahead would pin the latest position, escape retention. */
    private Instant latestAccepted() {
        return maxFuture == null ? LATEST : clock.instant().plus(maxFuture);
    }

    /** The coordinate, or Long.MIN_VALUE where the tree path would refuse it. */
    private static long flatCoordinate(JsonParser parser, JsonToken value, CoordinateRange range) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
            return Long.MIN_VALUE;
        }
        int coordinate = parser.getIntValue();
        return range.contains(coordinate) ? coordinate : Long.MIN_VALUE;
    }

    /** Tab, line feed, carriage return and the printable ASCII characters, nothing else. */
    private static boolean printableAscii(byte[] json) {
        for (byte b : json) {
            if ((b < 0x20 || b > 0x7e) && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static int coordinate(JsonNode json, String field, CoordinateRange range) throws InvalidSampleException {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidSampleException("'" + field + "' is missing");
        }
        if (!value.isIntegralNumber()) {
            throw new InvalidSampleException("'" + field + "' must be an integer, not " + describe(value));
        }
        if (!value.canConvertToInt() || !range.contains(value.intValue())) {
            throw new InvalidSampleException("'" + field + "' is out of range: " + value.asText()
                    + " (allowed " + range.min() + " to " + range.max() + ")");
        }
        return value.intValue();
    }

    private Instant sampledAt(JsonNode json, Optional<Instant> defaultTime) throws InvalidSampleException {
        JsonNode iso = json.get("sampledAt");
        if (iso != null && !iso.isNull()) {
            if (!iso.isTextual()) {
                throw new InvalidSampleException("'sampledAt' must be an ISO-8601 string, not " + describe(iso));
            }
            try {
                return Instant.parse(iso.textValue());
            } catch (DateTimeParseException e) {
                throw new InvalidSampleException("'sampledAt' is not an ISO-8601 instant such as "
                        + "2021-04-10T20:51:36.287301Z: '" + iso.textValue() + "'");
            }
        }
        JsonNode id = json.get("id");
        if (id != null && !id.isNull()) {
            if (!id.isTextual()) {
                throw new InvalidSampleException("'id' must be a string such as 2021/04/10-20:51:36:287301, not "
                        + describe(id));
            }
            return SeedTimestamp.parse(id.textValue(), seedZone);
        }
        return defaultTime.orElseThrow(() -> new InvalidSampleException("'id' (or 'sampledAt') is missing"));
    }

    private static Optional<String> source(JsonNode json) throws InvalidSampleException {
        JsonNode source = json.get("source");
        if (source == null || source.isNull()) {
            return Optional.empty();
        }
        if (!source.isTextual()) {
            throw new InvalidSampleException("'source' must be a string, not " + describe(source));
        }
        String name = source.textValue();
        if (!SourceName.isValid(name)) {
            throw new InvalidSampleException(SourceName.refusal("'source'", name));
        }
        return Optional.of(name);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }
}
