package dev.posflow.live;

import dev.posflow.api.PositionView.KafkaView;

/** A position just stored, as the live stream shows it: like a stored position, without the row id. */
public record LivePosition(String source, String sampledAt, int x, int y, KafkaView kafka) {
}
