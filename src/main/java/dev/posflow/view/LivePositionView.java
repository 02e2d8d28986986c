package dev.posflow.view;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.store.IncomingPosition;
import dev.posflow.view.PositionView.KafkaView;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A position just stored, as the live stream shows it: like a stored position, without the row id. */
@RegisterForReflection
public record LivePositionView(String source, String sampledAt, int x, int y, KafkaView kafka) {

    public static LivePositionView of(IncomingPosition position) {
        return new LivePositionView(position.sample().source().orElseThrow(),
                MicrosInstant.format(position.sample().sampledAt()), position.sample().x(), position.sample().y(),
                new KafkaView(position.record().topic(), position.record().partition(), position.record().offset()));
    }
}
