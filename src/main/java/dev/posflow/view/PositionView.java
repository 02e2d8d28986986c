package dev.posflow.view;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.store.read.LatestReader;
import dev.posflow.store.schema.KafkaKey;
import dev.posflow.store.schema.Position;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A stored position as the REST API and the latest snapshot show it; instants as {@link MicrosInstant}. Its JSON is
 * written by {@link PositionJson}, as every position's; the record's components document the shape (OpenAPI).
 */
@RegisterForReflection
@JsonSerialize(using = PositionView.Json.class)
public record PositionView(long id, String source, String sampledAt, int x, int y, String receivedAt,
        KafkaView kafka) {

    /** The Kafka record a position came from. */
    @RegisterForReflection
    public record KafkaView(String topic, int partition, long offset) {

        static KafkaView of(KafkaKey key) {
            return new KafkaView(key.topic, key.partition, key.offset);
        }
    }

    /** A source's latest position as read from latest_positions. */
    public static PositionView of(LatestReader.LatestRow row) {
        return new PositionView(row.id(), row.source(), InstantText.of(row.sampledAt()), row.x(), row.y(),
                InstantText.of(row.receivedAt()), new KafkaView(row.topic(), row.partition(), row.offset()));
    }

    public static PositionView of(Position row) {
        return new PositionView(row.id, row.source, MicrosInstant.format(row.sampledAt), row.x, row.y,
                MicrosInstant.format(row.receivedAt), KafkaView.of(row.kafka));
    }

    static final class Json extends StdSerializer<PositionView> {

        Json() {
            super(PositionView.class);
        }

        @Override
        public void serialize(PositionView view, JsonGenerator out, SerializerProvider provider) throws IOException {
            PositionJson.write(out, view.id(), view.source(), view.sampledAt().toCharArray(), view.x(), view.y(),
                    view.receivedAt().toCharArray(), view.kafka().topic(), view.kafka().partition(),
                    view.kafka().offset());
        }
    }
}
