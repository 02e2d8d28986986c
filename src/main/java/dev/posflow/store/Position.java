package dev.posflow.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A stored sample and the Kafka record it came from. Operators query this table directly: keep its names. Read through
 * Panache; written by {@link IngestWriter} with plain JDBC, because Hibernate's best batched insert ingests at
 * 0.59–0.66 × its rate (docs/performance.md, "Panache write path").
 */
@Entity
@Table(name = "positions")
public class Position extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 64)
    public String source;

    @Convert(converter = UtcMicrosConverter.class)
    @Column(name = "sampled_at", nullable = false, columnDefinition = UtcMicrosConverter.COLUMN)
    public Instant sampledAt;

    @Column(nullable = false)
    public int x;

    @Column(nullable = false)
    public int y;

    @Convert(converter = UtcMicrosConverter.class)
    @Column(name = "received_at", nullable = false, columnDefinition = UtcMicrosConverter.COLUMN)
    public Instant receivedAt;

    @Embedded
    public KafkaKey kafka;
}
