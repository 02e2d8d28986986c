package dev.posflow.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The latest position of a source, by the Kafka key of its row; maintained by {@link IngestWriter}. */
@Entity
@Table(name = "latest_positions")
public class LatestPosition extends PanacheEntityBase {

    @Id
    @Column(length = 64)
    public String source;

    @Convert(converter = UtcMicrosConverter.class)
    @Column(name = "sampled_at", nullable = false)
    public Instant sampledAt;

    @Embedded
    public KafkaKey kafka;
}
