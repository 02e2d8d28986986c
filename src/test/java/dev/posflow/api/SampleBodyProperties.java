package dev.posflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.sample.CoordinateRange;
import dev.posflow.sample.InvalidSampleException;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SampleReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * POST's body is read as it streams by, without a tree per element; whatever the elements, the samples taken, or the
 * reason given, are those of reading each element as a tree.
 */
class SampleBodyProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2024-01-02T03:04:05.123456Z");
    private static final SampleReader READER = new SampleReader(ZoneId.of("Europe/Paris"), new CoordinateRange(0, 4095),
            new CoordinateRange(-100, 100), Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

    private static final List<String> FIELDS = List.of("\"x\": 5", "\"x\": 4096", "\"x\": 9.0", "\"x\": \"5\"",
            "\"x\": 2147483648", "\"y\": 7", "\"y\": -101", "\"y\": null", "\"id\": \"2021/04/10-20:51:36:287301\"",
            "\"id\": \"2021/02/30-20:51:36:287301\"", "\"id\": 5", "\"sampledAt\": \"2021-04-10T20:51:36.287301999Z\"",
            "\"sampledAt\": \"2021-04-10T20:51:36+02:00\"", "\"sampledAt\": \"2031-01-01T00:00:00Z\"",
            "\"sampledAt\": null", "\"source\": \"desk-1\"", "\"source\": \"s\u00e9\"", "\"source\": \"a b\"",
            "\"source\": null", "\"source\": [\"desk-1\"]", "\"extra\": {\"a\": [1, {\"b\": 2}]}", "\"\\u0078\": 6");

    @Provide
    Arbitrary<String> elements() {
        Arbitrary<String> objects = Arbitraries.of(FIELDS).list().ofMaxSize(6)
                .map(fields -> "{" + String.join(", ", fields) + "}");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, objects),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("5", "\"text\"", "null", "[1, {\"x\": 1}]", "{}")));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(elements(),
                elements().list().ofMinSize(1).ofMaxSize(5).map(all -> "[" + String.join(",\n ", all) + "]"));
    }

    @Property(tries = 3000)
    void streamingTakesWhatTheTreeTakesAndRefusesWithTheSameReason(@ForAll("bodies") String body) throws Exception {
        assertEquals(byTree(body), streamed(body), body);
    }

    private static Object streamed(String body) {
        try {
            return SampleBody.parse(JSON, body, READER, 1000, NOW);
        } catch (ProblemException refused) {
            return refused.getMessage();
        }
    }

    /** The reference: every element read as a tree, the first refusal named by its index. */
    private static Object byTree(String body) throws Exception {
        JsonNode root = JSON.readTree(body);
        if (!root.isArray()) {
            return read(root, "");
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode element : root) {
            Object sample = read(element, "sample [" + samples.size() + "]: ");
            if (sample instanceof String reason) {
                return reason;
            }
            samples.add((Sample) sample);
        }
        return samples;
    }

    private static Object read(JsonNode node, String where) {
        try {
            Sample sample = READER.read(node, Optional.of(NOW));
            return where.isEmpty() ? List.of(sample) : sample;
        } catch (InvalidSampleException e) {
            return where + e.getMessage();
        }
    }
}
