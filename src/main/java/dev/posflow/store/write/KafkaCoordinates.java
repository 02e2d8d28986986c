package dev.posflow.store.write;

/**
 * Where a record sits in Kafka: topic, partition, offset, and which incarnation of the topic (a topic deleted and
 * created again, or the same name on another cluster, restarts its offsets). Unique per stored row, which is what
 * makes redelivery harmless.
 */
public record KafkaCoordinates(String topic, int partition, long offset, int incarnation) {
}
