package dev.posflow.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.posflow.testing.HostileText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and hostile input at the seed-time parser and the sample reader that both doors share: each either gives a
 * valid sample or refuses with {@link InvalidSampleException}, never another exception, never an invalid sample.
 */
class SampleInputProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    // as ingest's RecordDecoder configures it
    private static final ObjectReader FLAT_READER = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final CoordinateRange X = new CoordinateRange(0, 4095);
    private static final CoordinateRange Y = new CoordinateRange(-100, 100);
    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    @Provide
    Arbitrary<String> ids() {
        return HostileText.strings();
    }

    @Property(tries = 2000)
    void seedTimestampEitherParsesOrSaysWhy(@ForAll("ids") String id) {
        try {
            Instant parsed = SeedTimestamp.parse(id, ZoneOffset.UTC);
            // whatever it accepted has the exact shape and prints back to the same text
            assertEquals(id, SeedTimestamp.format(parsed, ZoneOffset.UTC));
        } catch (InvalidSampleException refused) {
            assertTrue(refused.getMessage().startsWith("id '"), refused.getMessage());
        }
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return Arbitraries.oneOf(
                HostileText.strings().map(JSON.getNodeFactory()::textNode),
                Arbitraries.longs().map(JSON.getNodeFactory()::numberNode),
                Arbitraries.integers().between(-200, 5000).map(JSON.getNodeFactory()::numberNode),
                Arbitraries.doubles().map(JSON.getNodeFactory()::numberNode),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(),
                        java.math.BigInteger.TEN.pow(30)).map(JSON.getNodeFactory()::numberNode),
                Arbitraries.of(JSON.getNodeFactory().nullNode(), JSON.getNodeFactory().booleanNode(true),
                        JSON.getNodeFactory().arrayNode(), JSON.getNodeFactory().objectNode()));
    }

    @Provide
    Arbitrary<JsonNode> samples() {
        Arbitrary<Optional<JsonNode>> field = values().optional(0.7);
        return Combinators.combine(field, field, field, field, field).as((x, y, id, sampledAt, source) -> {
            ObjectNode node = JSON.createObjectNode();
            x.ifPresent(value -> node.set("x", value));
            y.ifPresent(value -> node.set("y", value));
            id.ifPresent(value -> node.set("id", value));
            sampledAt.ifPresent(value -> node.set("sampledAt", value));
            source.ifPresent(value -> node.set("source", value));
            return (JsonNode) node;
        });
    }

    @Property(tries = 3000)
    void sampleReaderEitherGivesAValidSampleOrSaysWhy(@ForAll("samples") JsonNode json,
            @ForAll boolean withDefaultTime) {
        SampleReader reader = new SampleReader(ZoneId.of("Europe/Paris"), X, Y);
        Optional<Instant> defaultTime = withDefaultTime ? Optional.of(Instant.parse("2024-01-02T03:04:05.123456Z"))
                : Optional.empty();
        Sample sample;
        try {
            sample = reader.read(json, defaultTime);
        } catch (InvalidSampleException refused) {
            assertTrue(!refused.getMessage().isBlank());
            return;
        }
        assertTrue(X.contains(sample.x()), () -> "x outside the range: " + json);
        assertTrue(Y.contains(sample.y()), () -> "y outside the range: " + json);
        assertTrue(sample.source().map(SourceName::isValid).orElse(true), () -> "invalid source taken: " + json);
        assertTrue(!sample.sampledAt().isBefore(EARLIEST) && !sample.sampledAt().isAfter(LATEST),
                () -> "time outside DATETIME(6): " + json);
        assertEquals(sample.sampledAt(), sample.sampledAt().truncatedTo(ChronoUnit.MICROS));
    }

    /** Kafka ingest reads most values flat from their bytes: whatever that takes, the tree takes as the same sample. */
    @Property(tries = 3000)
    void flatReadingTakesOnlyWhatTheTreeTakesAndReadsItTheSame(@ForAll("samples") JsonNode json) throws Exception {
        assertFlatAgreesWithTree(JSON.writeValueAsString(json));
    }

    /** Texts a tree never shows the flat reader: duplicate, unknown or nested fields, trailing tokens, encodings. */
    @Property(tries = 500)
    void flatReadingAgreesWithTheTreeOnHandWrittenText(@ForAll("texts") String text) throws Exception {
        assertFlatAgreesWithTree(text);
    }

    @Provide
    Arbitrary<String> texts() {
        String good = "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 54}";
        return Arbitraries.oneOf(Arbitraries.of(good,
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 54, \"x\": 911}",
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 54, \"extra\": {\"a\": [1, 2]}}",
                good + " {}", good + " x", good + "\n", " \t" + good, "\uFEFF" + good,
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 9.0, \"y\": 54}",
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 007, \"y\": 54}",
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 2147483648, \"y\": 54}",
                "{\"id\": \"2021/02/30-20:51:36:287301\", \"x\": 9, \"y\": 54}",
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"\\u0078\": 9, \"y\": 54}",
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 9, \"y\": 54, \"source\": \"s\u00e9\"}",
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 9, \"y\": 54, \"source\": null}",
                "{\"sampledAt\": \"2021-04-10T20:51:36.287301999+02:00\", \"x\": 9, \"y\": 54, \"id\": 5}",
                "{\"sampledAt\": \"0999-12-31T23:59:59Z\", \"x\": 9, \"y\": 54}",
                "{\"x\": 9, \"y\": 54}", "[]", "", "null", "{\"x\": 9, \"y\": 54, \"id\": \"2021/04/10-20:51:36:287301\"",
                "// c\n" + good, "{'x': 9, 'y': 54, 'id': '2021/04/10-20:51:36:287301'}"),
                HostileText.strings(),
                HostileText.strings().map(t -> good.replace("910", t)),
                HostileText.strings().map(t -> good.replace("2021/04/10-20:51:36:287301", t)));
    }

    private static void assertFlatAgreesWithTree(String text) throws Exception {
        SampleReader reader = new SampleReader(ZoneId.of("Europe/Paris"), X, Y);
        Sample flat = reader.readFlat(FLAT_READER, text.getBytes(StandardCharsets.UTF_8));
        if (flat == null) {
            return;
        }
        Sample tree = reader.read(FLAT_READER.readTree(text), Optional.empty());
        assertEquals(tree, flat, text);
    }

    /**
     * Ingest scans the shapes producers send without a parser: whatever the scan takes, Jackson's parser takes as the
     * same sample, on texts one edit away from those shapes (a JSON-significant character put in, taken out or
     * replaced).
     */
    @Property(tries = 5000)
    void scanningTakesOnlyWhatTheParserTakesAndReadsItTheSame(@ForAll("edited") String text) {
        SampleReader reader = new SampleReader(ZoneId.of("Europe/Paris"), X, Y);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        Sample scanned = reader.scanFlat(bytes);
        if (scanned != null) {
            assertEquals(reader.parseFlat(FLAT_READER, bytes), scanned, text);
        }
    }

    @Provide
    Arbitrary<String> edited() {
        Arbitrary<String> shapes = Arbitraries.of(
                "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 54}",
                "{\"id\":\"2021/04/10-20:51:36:287301\",\"x\":0,\"y\":-100}",
                " {\n\t\"y\" : 7 ,\r\n \"x\" : 4095 , \"id\" : \"2021/04/10-20:51:36:287301\" } \n",
                "{\"source\": \"tab.le-1:a@b_c\", \"x\": 12, \"y\": 3, \"sampledAt\": \"2021-04-10T20:51:36.287301Z\"}",
                "{\"sampledAt\": \"2021-04-10T20:51:36.2873019Z\", \"id\": \"2021/04/10-20:51:36:287301\", \"x\": 1, \"y\": 1}");
        Arbitrary<Character> significant = Arbitraries.of('{', '}', '[', ']', '"', ':', ',', '-', '+', '0', '1', '9',
                '.', 'e', 'E', ' ', '\t', '\n', '\\', 'x', 'y', 'n', '/');
        return Combinators.combine(shapes, Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 200),
                significant).as((shape, edit, where, c) -> {
                    int at = where % (shape.length() + 1);
                    return switch (edit) {
                        case 0 -> shape.substring(0, at) + c + shape.substring(at);
                        case 1 -> at == shape.length() ? shape : shape.substring(0, at) + shape.substring(at + 1);
                        default -> at == shape.length() ? shape + c : shape.substring(0, at) + c + shape.substring(at + 1);
                    };
                });
    }

    /** The scan is the path the field's records take: it must not decline the shapes producers send. */
    @Example
    void theShapesProducersSendAreScannedWithoutAParser() {
        SampleReader reader = new SampleReader(ZoneId.of("Europe/Paris"), X, Y);
        for (String text : new String[] {"{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 54}",
                "{\"source\": \"s-1\", \"x\": 0, \"y\": 3, \"sampledAt\": \"2021-04-10T20:51:36.287301Z\"}",
                "{\"y\":-100,\"x\":4095,\"id\":\"2021/04/10-20:51:36:287301\",\"source\":\"a\"}"}) {
            Sample scanned = reader.scanFlat(text.getBytes(StandardCharsets.US_ASCII));
            assertTrue(scanned != null, text);
        }
        Sample seed = reader.scanFlat("{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 54}"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(new Sample(Optional.empty(), Instant.parse("2021-04-10T18:51:36.287301Z"), 910, 54), seed);
    }

    @Property(tries = 2000)
    void aSourceNameIsValidExactlyWhenItMatchesTheRule(@ForAll("ids") String name) {
        assertEquals(name.matches(SourceName.RULE), SourceName.isValid(name), name);
    }
}
