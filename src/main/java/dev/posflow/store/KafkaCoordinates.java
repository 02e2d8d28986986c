package dev.posflow.store;

/** Where a record sits in Kafka; unique per stored row, which is what makes redelivery harmless. */
public record KafkaCoordinates(String topic, int partition, long offset) {
}
