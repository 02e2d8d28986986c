package dev.posflow.view;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.store.KafkaKey;
import dev.posflow.store.Position;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A stored position as the REST API and the latest snapshot show it; instants as {@link MicrosInstant}. */
@RegisterForReflection
public record PositionView(long id, String source, String sampledAt, int x, int y, String receivedAt,
        KafkaView kafka) {

    /** The Kafka record a position came from. */
    @RegisterForReflection
    public record KafkaView(String topic, int partition, long offset) {

        static KafkaView of(KafkaKey key) {
            return new KafkaView(key.topic, key.partition, key.offset);
        }
    }

    public static PositionView of(Position row) {
        return new PositionView(row.id, row.source, MicrosInstant.format(row.sampledAt), row.x, row.y,
                MicrosInstant.format(row.receivedAt), KafkaView.of(row.kafka));
    }
}
