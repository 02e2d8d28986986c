package dev.posflow.store.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import dev.posflow.store.schema.IngestOffset;

/**
 * The ingest_offsets table: where ingest resumes on each partition of each topic incarnation. Raised inside the
 * batch's transaction (by {@link IngestWriter}), read when partitions are assigned, and set on its own when ingest
 * starts a new incarnation or skips what Kafka deleted, so that a restart does not decide (or say) it again.
 * <p>
 * Read through the Panache entity {@link IngestOffset}. Raised in SQL, on the connection of the caller's JTA
 * transaction: one upsert that never lowers a mark is safe against another instance raising the same partition at
 * once, where an entity's read-then-write is not (under READ COMMITTED, a locking read of an absent row locks
 * nothing, and two first inserts collide); and it rides in the batch's own statements rather than a select per
 * partition.
 */
@ApplicationScoped
public class OffsetStore {

    // never backwards: a late zombie consumer must not rewind a partition
    private static final String UPSERT_OFFSET = "insert into ingest_offsets"
            + " (kafka_topic, kafka_incarnation, kafka_partition, next_offset) values (?, ?, ?, ?)"
            + " on duplicate key update next_offset = greatest(ingest_offsets.next_offset, values(next_offset))";

    private final DataSource dataSource;

    OffsetStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Raises each partition's mark to the given next offset, on the caller's connection and transaction. */
    void raise(Connection connection, Map<Partition, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(InsertedRow.sql(connection, UPSERT_OFFSET))) {
            // in one order, like latest_positions, against lock-order deadlocks between instances
            List<Map.Entry<Partition, Long>> ordered = nextOffsets.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Partition.ORDER)).toList();
            for (Map.Entry<Partition, Long> next : ordered) {
                upsert.setString(1, next.getKey().topic());
                upsert.setInt(2, next.getKey().incarnation());
                upsert.setInt(3, next.getKey().partition());
                upsert.setLong(4, next.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * The stored marks of the given partitions, on the caller's connection and transaction; a partition MySQL has no
     * mark of is absent.
     */
    Map<Partition, Long> marks(Connection connection, Collection<Partition> partitions) throws SQLException {
        Map<Partition, Long> marks = new HashMap<>();
        if (partitions.isEmpty()) {
            return marks;
        }
        String sql = "select kafka_topic, kafka_incarnation, kafka_partition, next_offset from ingest_offsets"
                + " where (kafka_topic, kafka_incarnation, kafka_partition) in ("
                + String.join(", ", Collections.nCopies(partitions.size(), "(?, ?, ?)")) + ")";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            for (Partition partition : partitions) {
                select.setString(index++, partition.topic());
                select.setInt(index++, partition.incarnation());
                select.setInt(index++, partition.partition());
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    marks.put(new Partition(rows.getString(1), rows.getInt(3), rows.getInt(2)), rows.getLong(4));
                }
            }
        }
        return marks;
    }

    /** The stored marks of these partitions, read outside any write (partitions without a mark are absent). */
    public Map<Partition, Long> marks(Collection<Partition> partitions) {
        try (Connection connection = dataSource.getConnection()) {
            return marks(connection, partitions);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the offsets of " + partitions, e);
        }
    }

    /**
     * The partitions whose mark is below what a writer knows it committed there: the database lost commits. A
     * partition without any mark counts as 0: MySQL lost every commit of it (say, a replica promoted before it had
     * applied the partition's first batch), not "nothing to check".
     */
    public static Map<Partition, Long> behind(Map<Partition, Long> marks, Map<Partition, Long> committed) {
        Map<Partition, Long> behind = new HashMap<>();
        committed.forEach((partition, below) -> {
            long mark = marks.getOrDefault(partition, 0L);
            if (mark < below) {
                behind.put(partition, mark);
            }
        });
        return behind;
    }

    /** Raises the marks in a transaction of their own (never lowers them). */
    @Transactional
    public void raise(Map<Partition, Long> nextOffsets) {
        try (Connection connection = dataSource.getConnection()) {
            raise(connection, nextOffsets);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store the offsets " + nextOffsets, e);
        }
    }

    /** Where ingest must resume on each of the given partitions of a topic incarnation, for those MySQL knows. */
    @Transactional
    public Map<Integer, Long> nextOffsets(String topic, int incarnation, Collection<Integer> partitions) {
        Map<Integer, Long> next = new HashMap<>();
        if (partitions.isEmpty()) {
            return next;
        }
        IngestOffset.<IngestOffset> stream("topic = ?1 and incarnation = ?2 and partition in ?3", topic, incarnation,
                partitions).forEach(mark -> next.put(mark.partition, mark.nextOffset));
        return next;
    }
}
