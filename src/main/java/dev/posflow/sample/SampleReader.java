package dev.posflow.sample;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

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

    /** Coordinates anywhere in the 32-bit range. */
    public SampleReader(ZoneId seedZone) {
        this(seedZone, CoordinateRange.ALL, CoordinateRange.ALL);
    }

    public SampleReader(ZoneId seedZone, CoordinateRange xRange, CoordinateRange yRange) {
        this.seedZone = seedZone;
        this.xRange = xRange;
        this.yRange = yRange;
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
        return new Sample(source(json), sampledAt, x, y);
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
