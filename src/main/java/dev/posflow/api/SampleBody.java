package dev.posflow.api;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.sample.InvalidSampleException;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SampleReader;

/** Reads the body of POST /positions: one sample or an array of them, all valid or none taken. */
final class SampleBody {

    static final int DEFAULT_MAX_SAMPLES = 1000;

    private SampleBody() {
    }

    static List<Sample> parse(ObjectMapper json, String body, ZoneId seedZone, Instant now) {
        return parse(json, body, new SampleReader(seedZone), DEFAULT_MAX_SAMPLES, now);
    }

    /**
     * Reads an array element by element and stops at sample {@code maxSamples + 1}: a body of 100,000 samples is
     * refused after reading 1,001 of them, never held as one tree.
     */
    static List<Sample> parse(ObjectMapper json, String body, SampleReader reader, int maxSamples, Instant now) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("the body is empty; send a sample or an array of samples");
        }
        try (JsonParser parser = json.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                Sample sample = readElement(json, body, parser, reader, now, "");
                requireEnd(parser);
                return List.of(sample);
            }
            List<Sample> samples = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (samples.size() == maxSamples) {
                    throw ProblemException.tooLarge("the array holds more than the " + maxSamples
                            + " samples taken at once (posflow.publish.max-samples-per-request); send them in parts");
                }
                samples.add(readElement(json, body, parser, reader, now, "sample [" + samples.size() + "]: "));
            }
            requireEnd(parser);
            if (samples.isEmpty()) {
                throw ProblemException.badRequest("the array holds no sample");
            }
            return samples;
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // a String source never fails to read; kept as a 400 rather than a 500 all the same
            throw ProblemException.badRequest("the body could not be read: " + e.getMessage());
        }
    }

    /** Trailing content would otherwise be dropped silently, and with it any sample after the first. */
    private static void requireEnd(JsonParser parser) throws IOException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw ProblemException.badRequest("the body is not JSON: trailing token (" + trailing
                    + ") after the sample or array");
        }
    }

    /**
     * The sample at the parser's current token. An object of the common shape is read as it streams by, without a
     * tree per element; any other element is read as a tree, which decides and says why, from the same text.
     */
    private static Sample readElement(ObjectMapper json, String body, JsonParser parser, SampleReader reader,
            Instant now, String where) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return read(reader, parser.readValueAsTree(), now, where);
        }
        int start = (int) parser.currentTokenLocation().getCharOffset();
        Sample flat = reader.readFlatObject(parser, now);
        if (flat != null) {
            return flat;
        }
        String element = body.substring(start, (int) parser.currentLocation().getCharOffset());
        return read(reader, json.readTree(element), now, where);
    }

    private static Sample read(SampleReader reader, JsonNode node, Instant now, String where) {
        try {
            return reader.read(node, Optional.of(now));
        } catch (InvalidSampleException e) {
            throw ProblemException.badRequest(where + e.getMessage());
        }
    }
}
