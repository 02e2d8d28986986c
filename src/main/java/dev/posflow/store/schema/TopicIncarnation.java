package dev.posflow.store.schema;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A row of kafka_incarnations, written and read through Panache by {@link dev.posflow.store.write.IncarnationStore}; the rest of posflow sees
 * it as the value {@link KafkaIncarnation}.
 */
@Entity
@Table(name = "kafka_incarnations")
@IdClass(TopicIncarnation.Key.class)
public class TopicIncarnation extends PanacheEntityBase {

    /** The primary key, in its column order. */
    public static class Key implements Serializable {

        public String topic;
        public int number;

        public Key() {
        }

        public Key(String topic, int number) {
            this.topic = topic;
            this.number = number;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.topic.equals(topic) && key.number == number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, number);
        }
    }

    @Id
    @Column(name = "kafka_topic", length = 249)
    public String topic;

    @Id
    @Column(name = "incarnation")
    public int number;

    /** Null until adopted: the ids of incarnation 0 of a topic stored before posflow knew incarnations. */
    @Column(name = "cluster_id", length = 64)
    public String clusterId;

    @Column(name = "topic_id", length = 64)
    public String topicId;

    @Convert(converter = UtcMicrosConverter.class)
    @Column(name = "first_seen", nullable = false, columnDefinition = UtcMicrosConverter.COLUMN)
    public Instant firstSeen;

    public KafkaIncarnation value() {
        return new KafkaIncarnation(topic, number, Optional.ofNullable(clusterId), Optional.ofNullable(topicId));
    }
}
