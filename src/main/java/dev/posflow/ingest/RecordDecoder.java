package dev.posflow.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

/** Turns a Kafka record's value into a sample with a source, or says why it cannot. */
@ApplicationScoped
public class RecordDecoder {

    private final ObjectReader json;
    private final SampleReader reader;

    RecordDecoder(ObjectMapper json, PosflowConfig config) {
        // trailing content would otherwise be dropped silently, with any sample in it
        this.json = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // received = decoded, as the consumer polls it
        this.reader = new SampleReader(config.ingest().zone(), config.sample().xRange(), config.sample().yRange(),
                config.sample().maxFuture(), Clock.systemUTC());
    }

    /**
     * Decodes a record's value (the bytes of UTF-8 text); never throws. The source, when the value names none, is
     * added by {@link #withSource} from the record's key or topic; a record that can never be stored is a poison
     * value, not a thrown exception.
     */
    public DecodedValue decodeValue(byte[] value) {
        try {
            // most records take the flat path; anything it does not take is read as before, which says why
            Sample sample = value == null ? null : reader.readFlat(json, value);
            return DecodedValue.sample(sample != null ? sample
                    : readTree(value == null ? null : new String(value, StandardCharsets.UTF_8)), value);
        } catch (PoisonRecordException e) {
            return DecodedValue.poison(e.getMessage(), value);
        } catch (RuntimeException e) {
            return DecodedValue.failed(e, value);
        }
    }

    /**
     * The record's value with a source (field producers send neither source nor key, and the topic then names it),
     * or poison when neither can name one; a value that is poison already stays as it is. The value was decoded on
     * the polling thread, which sees no key; this is the part that needs the record.
     */
    public DecodedValue withSource(ConsumerRecord<String, DecodedValue> record) {
        // a null value never reached the deserializer: decoded here, as "empty value"
        DecodedValue value = record.value() != null ? record.value() : decodeValue(null);
        if (value.poison().isPresent() || value.sample().source().isPresent()) {
            return value;
        }
        boolean keyed = record.key() != null && !record.key().isBlank();
        String fallback = keyed ? record.key() : record.topic();
        if (!SourceName.isValid(fallback)) {
            return value.asPoison("no source field, and the " + (keyed ? "record key" : "topic name")
                    + " that would name the source " + SourceName.refusal("", fallback).trim());
        }
        return value.with(value.sample().withSourceIfAbsent(fallback));
    }

    /** The value as text, the way StringDeserializer gave it before (UTF-8, malformed bytes replaced). */
    private Sample readTree(String value) throws PoisonRecordException {
        if (value == null || value.isBlank()) {
            throw new PoisonRecordException("empty value");
        }
        JsonNode tree;
        try {
            tree = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new PoisonRecordException("not JSON: " + e.getOriginalMessage());
        }
        try {
            return reader.read(tree, Optional.empty());
        } catch (InvalidSampleException e) {
            throw new PoisonRecordException(e.getMessage());
        }
    }
}
