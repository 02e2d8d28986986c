package dev.posflow.store.schema;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Where ingest resumes on one partition of one topic incarnation: the offset after the last record stored or
 * dead-lettered. Read through Panache ({@link dev.posflow.store.write.OffsetStore#nextOffsets}); raised in SQL (see {@link dev.posflow.store.write.OffsetStore}).
 */
@Entity
@Table(name = "ingest_offsets")
@IdClass(IngestOffset.Key.class)
public class IngestOffset extends PanacheEntityBase {

    /** The primary key, in its column order. */
    public static class Key implements Serializable {

        public String topic;
        public int incarnation;
        public int partition;

        public Key() {
        }

        public Key(String topic, int incarnation, int partition) {
            this.topic = topic;
            this.incarnation = incarnation;
            this.partition = partition;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.topic.equals(topic) && key.incarnation == incarnation
                    && key.partition == partition;
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, incarnation, partition);
        }
    }

    @Id
    @Column(name = "kafka_topic", length = 249)
    public String topic;

    @Id
    @Column(name = "kafka_incarnation")
    public int incarnation;

    @Id
    @Column(name = "kafka_partition")
    public int partition;

    @Column(name = "next_offset", nullable = false)
    public long nextOffset;
}
