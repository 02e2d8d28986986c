package dev.posflow.publish;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.config.PosflowConfig;
import dev.posflow.sample.MicrosInstant;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SeedTimestamp;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes samples to the positions-out channel, keyed by source so that a source's samples stay in order. */
@ApplicationScoped
public class SamplePublisher {

    @Inject
    @Channel("positions-out")
    MutinyEmitter<String> emitter;

    @Inject
    ObjectMapper json;

    @Inject
    PosflowConfig config;

    /**
     * Sends nothing until subscribed; then the record goes to the channel at once, in subscription order.
     *
     * @return completes when the broker has acknowledged the record, fails with the reason it refused it, or with an
     *         IllegalStateException when the emitter's buffer is full (the broker is unreachable or too slow)
     */
    public Uni<Void> publish(Sample sample) {
        return emitter.sendMessage(Message.of(toJson(sample), metadata(sample)));
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
