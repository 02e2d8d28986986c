package dev.posflow.ingest.incarnations;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.posflow.store.write.Partition;

/**
 * Where ingest expects each partition to go on, as the rebalance listener, the batches, an operator's replay and a
 * rewind after lost commits set it. {@link OffsetWatch} compares each batch with it; those that move a partition on
 * purpose ({@link ResumeFromDatabase}, {@link Replay}, {@link LostCommits}) say so here, so that none of them needs
 * the watch and the watch can call them.
 */
@ApplicationScoped
public class ExpectedOffsets {

    private static final Logger LOG = Logger.getLogger(ExpectedOffsets.class);

    /** The next offset ingest expects on a partition, and the incarnation it expected it in. */
    record Expected(long offset, int incarnation) {
    }

    private final Map<TopicPartition, Expected> expected = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> replays = new ConcurrentHashMap<>();
    // partitions sent back to MySQL's mark by LostCommits: records from this offset on were polled before the seek
    private final Map<TopicPartition, Long> rewinds = new ConcurrentHashMap<>();

    /** Where the rebalance listener placed each partition (absent: Kafka's committed offset decides). */
    void assigned(Collection<TopicPartition> partitions, Map<TopicPartition, Long> positions, int incarnation) {
        for (TopicPartition partition : partitions) {
            replays.remove(partition);
            rewinds.remove(partition);
            Long position = positions.get(partition);
            if (position == null) {
                expected.remove(partition);
            } else {
                expected.put(partition, new Expected(position, incarnation));
            }
        }
    }

    /** An operator's replay: the consumer is sent back to this offset on purpose. */
    void replayFrom(TopicPartition partition, long offset) {
        replays.put(partition, offset);
    }

    /** Whether a batch starting at {@code first} is the replay asked for; if so, the request is done. */
    boolean replayStartsAt(TopicPartition partition, long first) {
        Long replay = replays.get(partition);
        return replay != null && replay == first && replays.remove(partition, replay);
    }

    /** Where ingest expects the partition to go on, or null where Kafka's committed offset decided. */
    Expected next(TopicPartition partition) {
        return expected.get(partition);
    }

    /**
     * The consumer was sent back to {@code mark} (MySQL lost the commits above it) while handling a batch that
     * started at {@code from}: ingest now expects the mark, and records from {@code from} on that were polled
     * before the seek are dropped until the records from the mark arrive.
     */
    void rewound(TopicPartition partition, long mark, int incarnation, long from) {
        expected.put(partition, new Expected(mark, incarnation));
        rewinds.put(partition, from);
    }

    /**
     * Per partition of the batch (by the offset of its first record), the offset below which this instance committed
     * every record to MySQL: where the batch starts, or where ingest left the partition if lower. Only for partitions
     * whose position ingest knows, in the incarnation it knows.
     */
    public Map<Partition, Long> committedBelow(Map<Partition, Long> firsts) {
        Map<Partition, Long> committed = new HashMap<>();
        firsts.forEach((partition, first) -> {
            Expected next = expected.get(new TopicPartition(partition.topic(), partition.partition()));
            if (next != null && next.incarnation() == partition.incarnation()) {
                committed.put(partition, Math.min(first, next.offset()));
            }
        });
        return committed;
    }

    /** Per partition whose position ingest knows, the offset below which this instance committed every record. */
    Map<Partition, Long> committed() {
        Map<Partition, Long> committed = new HashMap<>();
        expected.forEach((partition, next) -> committed.put(
                new Partition(partition.topic(), partition.partition(), next.incarnation()), next.offset()));
        return committed;
    }

    /** The records of the batch without those polled before a rewind's seek (see {@link #rewound}). */
    public <R extends ConsumerRecord<?, ?>> List<R> withoutStale(List<R> records) {
        if (rewinds.isEmpty()) {
            return records;
        }
        Map<TopicPartition, Boolean> stale = new HashMap<>();
        for (R record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Long from = rewinds.get(partition);
            if (from != null) {
                // a poll's records come partition by partition: the first one says which side of the seek it is
                stale.computeIfAbsent(partition, p -> record.offset() >= from);
            }
        }
        stale.forEach((partition, before) -> {
            if (!before) {
                rewinds.remove(partition);
            } else {
                LOG.debugf("%s: dropping records polled before the consumer was sent back", partition);
            }
        });
        if (!stale.containsValue(true)) {
            return records;
        }
        return records.stream().filter(record -> !stale.getOrDefault(
                new TopicPartition(record.topic(), record.partition()), false)).toList();
    }

    /** After the batch committed: each partition continues after its last record. */
    public void stored(Map<Partition, Long> nextOffsets) {
        nextOffsets.forEach((partition, next) -> expected.put(
                new TopicPartition(partition.topic(), partition.partition()),
                new Expected(next, partition.incarnation())));
    }
}
