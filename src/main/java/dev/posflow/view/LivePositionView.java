package dev.posflow.view;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.store.write.IncomingPosition;
import dev.posflow.view.PositionView.KafkaView;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A position just stored, as the live stream shows it: like a stored position, without the row id and receivedAt.
 * Written by {@link PositionJson}, as every position's JSON.
 */
@RegisterForReflection
@JsonSerialize(using = LivePositionView.Json.class)
public record LivePositionView(String source, String sampledAt, int x, int y, KafkaView kafka) {

    public static LivePositionView of(IncomingPosition position) {
        return new LivePositionView(position.sample().source().orElseThrow(),
                MicrosInstant.format(position.sample().sampledAt()), position.sample().x(), position.sample().y(),
                new KafkaView(position.record().topic(), position.record().partition(), position.record().offset()));
    }

    static final class Json extends StdSerializer<LivePositionView> {

        Json() {
            super(LivePositionView.class);
        }

        @Override
        public void serialize(LivePositionView view, JsonGenerator out, SerializerProvider provider)
                throws IOException {
            PositionJson.write(out, PositionJson.NO_ID, view.source(), view.sampledAt().toCharArray(), view.x(),
                    view.y(), null, view.kafka().topic(), view.kafka().partition(), view.kafka().offset());
        }
    }
}
