package dev.posflow.store.schema;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The Kafka record a row came from: unique in positions, and how latest_positions points at a row. */
@Embeddable
public class KafkaKey {

    @Column(name = "kafka_topic", nullable = false)
    public String topic;

    @Column(name = "kafka_partition", nullable = false)
    public int partition;

    @Column(name = "kafka_offset", nullable = false)
    public long offset;

    /** Which incarnation of the topic (kafka_incarnations): offsets restart when a topic is created again. */
    @Column(name = "kafka_incarnation", nullable = false)
    public int incarnation;
}
