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
 * A stored sample and the Kafka record it came from. Operators query this table directly: keep its names.
 * <p>
 * Read through Panache, written without it: {@link IngestWriter} inserts each batch with plain JDBC, one multi-row
 * INSERT, which Hibernate cannot batch for IDENTITY ids (README, "Why the write path is plain JDBC"; for the
 * measurement see docs/performance.md, Panache write path).
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
