package dev.posflow.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.posflow.sample.Sample;

/**
 * The write side of the store. A row carries the Kafka coordinates of its record under a unique key, so the row and
 * the consumed position commit in one transaction: MySQL, not Kafka's committed offset, says what was ingested.
 */
@ApplicationScoped
public class PositionWriter {

    private final Clock clock;

    PositionWriter() {
        this(Clock.systemUTC());
    }

    PositionWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Stores the sample unless its record was stored already (a redelivery).
     *
     * @return whether a row was inserted
     */
    @Transactional
    public boolean storeOnce(Sample sample, KafkaCoordinates record) {
        if (isStored(record)) {
            return false;
        }
        Position row = new Position();
        row.source = sample.source().orElseThrow();
        row.sampledAt = sample.sampledAt();
        row.x = sample.x();
        row.y = sample.y();
        row.receivedAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        row.kafkaTopic = record.topic();
        row.kafkaPartition = record.partition();
        row.kafkaOffset = record.offset();
        row.persist();
        return true;
    }

    private static boolean isStored(KafkaCoordinates record) {
        return Position.count("kafkaTopic = ?1 and kafkaPartition = ?2 and kafkaOffset = ?3",
                record.topic(), record.partition(), record.offset()) > 0;
    }

    /**
     * The highest stored offset of each partition of a topic: where ingest must resume whatever Kafka remembers.
     */
    @Transactional
    public Map<Integer, Long> highestStoredOffsets(String topic, Collection<Integer> partitions) {
        Map<Integer, Long> highest = new HashMap<>();
        if (partitions.isEmpty()) {
            return highest;
        }
        List<Object[]> rows = Position.getEntityManager()
                .createQuery("select p.kafkaPartition, max(p.kafkaOffset) from Position p"
                        + " where p.kafkaTopic = :topic and p.kafkaPartition in :partitions"
                        + " group by p.kafkaPartition", Object[].class)
                .setParameter("topic", topic)
                .setParameter("partitions", partitions)
                .getResultList();
        for (Object[] row : rows) {
            highest.put((Integer) row[0], (Long) row[1]);
        }
        return highest;
    }
}
