package dev.posflow.store.write;

import dev.posflow.sample.Sample;

/** A sample to store, with the Kafka record it came from. Its source is known. */
public record IncomingPosition(Sample sample, KafkaCoordinates record) {

    public IncomingPosition {
        if (sample.source().isEmpty()) {
            throw new IllegalArgumentException("a stored position needs a source: " + record);
        }
    }
}
