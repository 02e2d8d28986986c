package dev.posflow.ingest.incarnations;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.posflow.store.write.OffsetStore;
import dev.posflow.store.write.Partition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The database went back in time under a running ingest: MySQL's mark of a partition is below what this instance
 * committed there, as when the primary failed over to an asynchronous replica that lacked the last commits. Storing
 * the batch would raise the mark over the records in between, lost for good; instead the consumer is sent back to
 * the mark (on its polling thread, as a replay is) and reads them again, as a restart would (ResumeFromDatabase).
 * Records the new primary does have are skipped by the unique key.
 * <p>
 * A batch finds it in its write transaction. A partition that gets no new records would never be written again, so
 * {@link MarksCheck} also compares the marks with what this instance committed every
 * {@code posflow.ingest.marks-check}; the two take turns ({@link #exclusive()}), so a loss is handled once.
 * <p>
 * Counted in {@code posflow_ingest_rewinds_total} (one per partition sent back) and
 * {@code posflow_ingest_rewound_records_total} (the offsets whose commits the database lost).
 */
@ApplicationScoped
public class LostCommits {

    private static final Logger LOG = Logger.getLogger(LostCommits.class);

    private final Replay replay;
    private final ExpectedOffsets expected;
    private final KafkaIds kafkaIds;
    private final OffsetStore offsets;
    private final SkippedRecords skipped;
    private final Counter rewinds;
    private final Counter rewound;
    private final ReentrantLock exclusive = new ReentrantLock();

    LostCommits(Replay replay, ExpectedOffsets expected, KafkaIds kafkaIds, OffsetStore offsets, SkippedRecords skipped,
            MeterRegistry registry) {
        this.replay = replay;
        this.expected = expected;
        this.kafkaIds = kafkaIds;
        this.offsets = offsets;
        this.skipped = skipped;
        this.rewinds = Counter.builder("posflow.ingest.rewinds")
                .description("Partitions sent back to MySQL's mark because the database lost commits")
                .register(registry);
        this.rewound = Counter.builder("posflow.ingest.rewound.records")
                .description("Offsets read again because the database lost the commits that stored them")
                .register(registry);
    }

    /** Held by a batch from reading what this instance committed until its write is done, and by the check. */
    public Lock exclusive() {
        return exclusive;
    }

    /**
     * Between batches: every partition this instance committed to whose mark in MySQL is now lower (or gone) is read
     * again from the mark. @return the partitions sent back
     */
    Set<Partition> check() {
        exclusive.lock();
        try {
            Map<Partition, Long> committed = expected.committed();
            if (committed.isEmpty()) {
                return Set.of();
            }
            Map<Partition, Long> behind = OffsetStore.behind(offsets.marks(committed.keySet()), committed);
            // no batch in hand: records polled from where this instance was on are the stale ones
            return behind.isEmpty() ? Set.of() : readAgain(behind, committed, committed);
        } finally {
            exclusive.unlock();
        }
    }

    /**
     * @param marks per partition behind, MySQL's mark
     * @param committed per partition, the offset below which this instance had committed everything
     * @param firsts per partition, where the batch starts
     * @return the partitions whose records of this batch must not be stored (they are read again)
     */
    public Set<Partition> readAgain(Map<Partition, Long> marks, Map<Partition, Long> committed, Map<Partition, Long> firsts) {
        Set<Partition> dropped = new HashSet<>();
        marks.forEach((partition, mark) -> {
            TopicPartition target = new TopicPartition(partition.topic(), partition.partition());
            long upTo = committed.get(partition);
            long from = mark;
            long logStart = kafkaIds.logStartOffsets(List.of(target)).getOrDefault(target, 0L);
            if (logStart > mark) {
                // Kafka deleted part of what the database lost: that part is gone, as with retention
                LOG.warnf("%s (incarnation #%d): the database lost the commits of offsets %d..%d, and Kafka deleted"
                        + " offsets %d..%d (log start offset %d): those %d records are lost", target,
                        partition.incarnation(), mark, upTo - 1, mark, logStart - 1, logStart, logStart - mark);
                skipped.add(SkippedRecords.RETENTION, logStart - mark);
                offsets.raise(Map.of(partition, logStart));
                from = logStart;
                if (from >= upTo) {
                    return;
                }
            }
            if (!replay.rewind(target, from)) {
                LOG.warnf("%s (incarnation #%d): the database lost the commits of offsets %d..%d; this instance no"
                        + " longer consumes the partition, whose next owner resumes from MySQL's mark", target,
                        partition.incarnation(), from, upTo - 1);
                dropped.add(partition);
                return;
            }
            expected.rewound(target, from, partition.incarnation(), firsts.get(partition));
            LOG.warnf("%s (incarnation #%d): the database lost commits (e.g. a failover to a lagging replica): its"
                    + " mark is %d, while this instance had stored up to offset %d; not storing this batch's records"
                    + " from %d, reading offsets %d..%d again (records the database still has are skipped)", target,
                    partition.incarnation(), mark, upTo - 1, firsts.get(partition), from, upTo - 1);
            rewinds.increment();
            rewound.increment(upTo - from);
            dropped.add(partition);
        });
        return dropped;
    }
}
