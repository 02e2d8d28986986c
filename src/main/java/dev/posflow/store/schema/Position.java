package dev.posflow.store.schema;

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
 * Through this entity: erasure ({@link dev.posflow.store.erase.PositionEraser}), in every profile, and any query of a
 * user's own ({@code Position.find("source", s)}). Not through it, for measured cost (docs/performance.md, "What goes
 * through Panache"): ingest's batch insert ({@link dev.posflow.store.write.IngestWriter}, Hibernate's best at 0.59–0.65 × its rate),
 * GET /positions/{id} (0.47–0.78 × the requests a second of plain JDBC at one connection, 0.73–0.86 × at 16) and the
 * readers of many rows (history and export pages, {@link dev.posflow.store.read.PositionReader}, about 22 µs a row as entities; the heatmap,
 * {@link dev.posflow.store.read.HeatmapReader}, one aggregate). Rows those write are the rows this entity reads, in the same transactions.
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
