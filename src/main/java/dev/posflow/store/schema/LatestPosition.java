package dev.posflow.store.schema;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Per source: the latest position, by the Kafka key of its row, its row count and first sampling time. Written by
 * {@link dev.posflow.store.write.IngestWriter} in plain SQL (an upsert per source and batch, inside the batch's insert), kept right through
 * this entity when rows are erased ({@link dev.posflow.store.erase.PositionEraser}), read by {@link dev.posflow.store.read.LatestReader}.
 */
@Entity
@Table(name = "latest_positions")
public class LatestPosition extends PanacheEntityBase {

    @Id
    @Column(length = 64)
    public String source;

    @Convert(converter = UtcMicrosConverter.class)
    @Column(name = "sampled_at", nullable = false, columnDefinition = UtcMicrosConverter.COLUMN)
    public Instant sampledAt;

    @Embedded
    public KafkaKey kafka;

    /** Rows of the source, counted as batches commit (rows deleted by hand are not subtracted: see docs/deployment.md, "Data"). */
    @Column(name = "row_count", nullable = false)
    public long rowCount;

    /** Null only on a row written by hand or by another tool; ingest always sets it. */
    @Convert(converter = UtcMicrosConverter.class)
    @Column(name = "first_sampled_at", columnDefinition = UtcMicrosConverter.COLUMN)
    public Instant firstSampledAt;

    /** Set by MySQL itself on every insert and update; what the refresh of the latest snapshot reads changes by. */
    @Convert(converter = UtcMicrosConverter.class)
    @Column(name = "changed_at", nullable = false, insertable = false, updatable = false,
            columnDefinition = UtcMicrosConverter.COLUMN)
    public Instant changedAt;

    /**
     * The instance whose ingest made the last change ({@link dev.posflow.store.write.ChangedBy}); null after any
     * other change, which every instance's refresh then reads.
     */
    @Column(name = "changed_by")
    public Long changedBy;
}
