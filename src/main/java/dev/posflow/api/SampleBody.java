package dev.posflow.api;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.sample.InvalidSampleException;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SampleReader;

/** Reads the body of POST /positions: one sample or an array of them, all valid or none taken. */
final class SampleBody {

    static final int MAX_SAMPLES = 10_000;

    private SampleBody() {
    }

    static List<Sample> parse(ObjectMapper json, String body, ZoneId seedZone, Instant now) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("the body is empty; send a sample or an array of samples");
        }
        JsonNode tree;
        try {
            // trailing content would otherwise be dropped silently, and with it any sample after the first
            tree = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        SampleReader reader = new SampleReader(seedZone);
        if (!tree.isArray()) {
            return List.of(read(reader, tree, now, ""));
        }
        if (tree.isEmpty()) {
            throw ProblemException.badRequest("the array holds no sample");
        }
        if (tree.size() > MAX_SAMPLES) {
            throw ProblemException.badRequest("the array holds " + tree.size() + " samples, more than the "
                    + MAX_SAMPLES + " taken at once");
        }
        List<Sample> samples = new ArrayList<>(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            samples.add(read(reader, tree.get(i), now, "sample [" + i + "]: "));
        }
        return samples;
    }

    private static Sample read(SampleReader reader, JsonNode node, Instant now, String where) {
        try {
            return reader.read(node, Optional.of(now));
        } catch (InvalidSampleException e) {
            throw ProblemException.badRequest(where + e.getMessage());
        }
    }
}
