package dev.posflow.api;

import dev.posflow.publish.SamplePublisher;
import dev.posflow.store.Position;

/** A stored position as the REST API shows it; instants in UTC with all six fractional digits. */
public record PositionView(long id, String source, String sampledAt, int x, int y, String receivedAt,
        KafkaView kafka) {

    public record KafkaView(String topic, int partition, long offset) {
    }

    public static PositionView of(Position row) {
        return new PositionView(row.id, row.source, SamplePublisher.MICROS_INSTANT.format(row.sampledAt), row.x, row.y,
                SamplePublisher.MICROS_INSTANT.format(row.receivedAt),
                new KafkaView(row.kafka.topic, row.kafka.partition, row.kafka.offset));
    }
}
