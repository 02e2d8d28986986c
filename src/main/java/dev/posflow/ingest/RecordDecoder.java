package dev.posflow.ingest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.posflow.config.PosflowConfig;
import dev.posflow.sample.InvalidSampleException;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SampleReader;
import dev.posflow.sample.SourceName;

/** Turns a Kafka record's string value into a sample with a source, or says why it cannot. */
@ApplicationScoped
public class RecordDecoder {

    private final ObjectReader json;
    private final SampleReader reader;

    RecordDecoder(ObjectMapper json, PosflowConfig config) {
        // trailing content would otherwise be dropped silently, with any sample in it
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.reader = new SampleReader(config.ingest().zone(), config.sample().xRange(), config.sample().yRange());
    }

    public Sample decode(ConsumerRecord<String, String> record) throws PoisonRecordException {
        if (record.value() == null || record.value().isBlank()) {
            throw new PoisonRecordException("empty value");
        }
        JsonNode tree;
        try {
            tree = json.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw new PoisonRecordException("not JSON: " + e.getOriginalMessage());
        }
        Sample sample;
        try {
            sample = reader.read(tree, Optional.empty());
        } catch (InvalidSampleException e) {
            throw new PoisonRecordException(e.getMessage());
        }
        // field producers send neither source nor key: the topic then names the source
        if (sample.source().isPresent()) {
            return sample;
        }
        boolean keyed = record.key() != null && !record.key().isBlank();
        String fallback = keyed ? record.key() : record.topic();
        if (!SourceName.isValid(fallback)) {
            throw new PoisonRecordException("no source field, and the " + (keyed ? "record key" : "topic name")
                    + " that would name the source " + SourceName.refusal("", fallback).trim());
        }
        return sample.withSourceIfAbsent(fallback);
    }
}
