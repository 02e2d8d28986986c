package dev.posflow.publish;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.config.PosflowConfig;
import dev.posflow.sample.MicrosInstant;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SeedTimestamp;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes samples to the positions-out channel, keyed by source so that a source's samples stay in order. */
@ApplicationScoped
public class SamplePublisher {

    @Inject
    @Channel("positions-out")
    Emitter<String> emitter;

    @Inject
    ObjectMapper json;

    @Inject
    PosflowConfig config;

    /**
     * @return completes when the broker has acknowledged the record, or fails with the reason it could not
     * @throws IllegalStateException when the emitter's buffer is full (the broker is unreachable or too slow)
     */
    public CompletionStage<Void> publish(Sample sample) {
        return AcknowledgedSend.send(emitter, toJson(sample), metadata(sample));
    }

    /** Publishes one of the samples whose acknowledgements {@code acks} counts. */
    void publish(Sample sample, AllAcknowledged acks) {
        AcknowledgedSend.send(emitter, toJson(sample), metadata(sample), acks);
    }

    private static Metadata metadata(Sample sample) {
        // keyless like a field producer when no source is known: ingest then names the source after the topic
        return sample.source()
                .map(source -> Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey(source).build()))
                .orElseGet(Metadata::empty);
    }

    private String toJson(Sample sample) {
        PublishedSample value = new PublishedSample(SeedTimestamp.format(sample.sampledAt(), config.ingest().zone()),
                sample.x(), sample.y(), sample.source().orElse(null), MicrosInstant.format(sample.sampledAt()));
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A sample could not be written as JSON", e);
        }
    }
}
