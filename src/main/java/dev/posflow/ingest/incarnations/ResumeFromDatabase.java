package dev.posflow.ingest.incarnations;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.posflow.ingest.incarnations.Incarnations.Change;
import dev.posflow.ingest.incarnations.Incarnations.Resolution;
import dev.posflow.ingest.incarnations.KafkaIds.TopicIdentity;
import dev.posflow.store.schema.KafkaIncarnation;
import dev.posflow.store.write.OffsetStore;
import dev.posflow.store.write.Partition;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * On partition assignment, positions the consumer where MySQL says ingest stopped, in the incarnation of the topic
 * that Kafka serves now.
 * <p>
 * MySQL's ingest_offsets commit with the rows; Kafka's committed offset trails them (commits are periodic), may be
 * lost or reset, and after a database failover may be ahead of what the database holds. So MySQL decides, for every
 * partition: at its mark, or at the log start for a partition without one (never Kafka's committed offset). Where MySQL's mark cannot be honoured, this says so in one WARN line per partition
 * and counts it, and never seeks into records already stored:
 * <ul>
 * <li>a new incarnation (the topic deleted and created again, another cluster, or a log ending below the mark) starts
 * at its beginning, as a stream of its own; the rows of the old one stay;</li>
 * <li>a mark below the log start offset (retention deleted what posflow had not read) resumes at the log start, and
 * the deleted records are counted as skipped.</li>
 * </ul>
 */
@ApplicationScoped
@Identifier("posflow-ingest")
public class ResumeFromDatabase implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ResumeFromDatabase.class);

    private static final Comparator<TopicPartition> BY_PARTITION = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private final OffsetStore offsets;
    private final KafkaIds kafkaIds;
    private final Incarnations incarnations;
    private final ExpectedOffsets expected;
    private final SkippedRecords skipped;

    ResumeFromDatabase(OffsetStore offsets, KafkaIds kafkaIds, Incarnations incarnations, ExpectedOffsets expected,
            SkippedRecords skipped) {
        this.offsets = offsets;
        this.kafkaIds = kafkaIds;
        this.incarnations = incarnations;
        this.expected = expected;
        this.skipped = skipped;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<String, List<TopicPartition>> byTopic = partitions.stream()
                .collect(Collectors.groupingBy(TopicPartition::topic));
        byTopic.forEach((topic, topicPartitions) -> resume(consumer, topic, topicPartitions));
    }

    private void resume(Consumer<?, ?> consumer, String topic, List<TopicPartition> partitions) {
        List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
        Optional<TopicIdentity> ids = kafkaIds.identify(topic);
        if (ids.isEmpty()) {
            // deleted between the assignment and now: the next assignment positions it
            expected.assigned(partitions, Map.of(), -1);
            LOG.warnf("Assigned %s, but Kafka no longer knows topic %s; not positioned", partitions, topic);
            return;
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Resolution resolution = incarnations.resolve(topic, ids.get(),
                stored -> offsets.nextOffsets(topic, stored.number(), numbers).entrySet().stream()
                        .anyMatch(mark -> mark.getValue() > end.get(new TopicPartition(topic, mark.getKey()))));
        KafkaIncarnation now = resolution.now();
        Map<TopicPartition, Long> positions = resolution.replaced().isPresent()
                ? startNewIncarnation(resolution, partitions, begin, end)
                : resumeAtMarks(now, partitions, begin);
        positions.forEach(consumer::seek);
        expected.assigned(partitions, positions, now.number());
        if (resolution.change() == Change.FIRST) {
            LOG.infof("Topic %s first seen: incarnation %s", topic, now);
        } else if (resolution.change() == Change.ADOPTED) {
            LOG.infof("Topic %s: the rows and marks stored before posflow knew topic ids are incarnation %s", topic,
                    now);
        }
        LOG.infof("Assigned %s; incarnation #%d; resuming from MySQL at %s", partitions, now.number(),
                positions.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(),
                        Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
    }

    /** The marks of the current incarnation, or the log start where Kafka deleted records first. */
    private Map<TopicPartition, Long> resumeAtMarks(KafkaIncarnation now, List<TopicPartition> partitions,
            Map<TopicPartition, Long> begin) {
        Map<Integer, Long> marks = offsets.nextOffsets(now.topic(), now.number(),
                partitions.stream().map(TopicPartition::partition).toList());
        Map<TopicPartition, Long> positions = new TreeMap<>(BY_PARTITION);
        for (TopicPartition partition : partitions) {
            Long mark = marks.get(partition.partition());
            long logStart = begin.get(partition);
            if (mark == null) {
                // Never Kafka's committed offset: after a failover to a replica that lacked this partition's first
                // commits, that offset is ahead of every row the database holds, and the records before it would be
                // lost. No mark means no row of this partition in this incarnation, so its log start is exact
                positions.put(partition, logStart);
            } else if (mark < logStart) {
                LOG.warnf("%s (incarnation #%d): offsets %d..%d (%d records) were deleted by Kafka (log start offset"
                        + " %d) before posflow read them; skipped, resuming at %d", partition, now.number(), mark,
                        logStart - 1, logStart - mark, logStart, logStart);
                skipped.add(SkippedRecords.RETENTION, logStart - mark);
                offsets.raise(Map.of(new Partition(now.topic(), partition.partition(), now.number()), logStart));
                positions.put(partition, logStart);
            } else {
                positions.put(partition, mark);
            }
        }
        return positions;
    }

    /** Every partition from its beginning, each said in one WARN line; the old incarnation's rows stay. */
    private Map<TopicPartition, Long> startNewIncarnation(Resolution resolution, List<TopicPartition> partitions,
            Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
        KafkaIncarnation now = resolution.now();
        KafkaIncarnation old = resolution.replaced().orElseThrow();
        Map<Integer, Long> oldMarks = offsets.nextOffsets(old.topic(), old.number(),
                partitions.stream().map(TopicPartition::partition).toList());
        Map<TopicPartition, Long> positions = new TreeMap<>(BY_PARTITION);
        skipped.newIncarnation(resolution.change().tag);
        for (TopicPartition partition : partitions) {
            long logStart = begin.get(partition);
            Long oldMark = oldMarks.get(partition.partition());
            LOG.warnf("%s: incarnation %s replaces %s: %s. Rows of #%d are kept (%s); the new incarnation is stored"
                    + " as new records from its beginning, offset %d%s", partition, now, old,
                    resolution.change().why(oldMark, end.get(partition)), old.number(),
                    oldMark == null ? "none of this partition" : "this partition's up to offset " + (oldMark - 1),
                    logStart,
                    logStart > 0 ? "; its offsets 0.." + (logStart - 1) + " (" + logStart
                            + " records) were deleted by Kafka before posflow read them, skipped" : "");
            if (logStart > 0) {
                skipped.add(SkippedRecords.RETENTION, logStart);
            }
            // the mark of the new incarnation, so that a restart resumes here and not at Kafka's committed offset
            offsets.raise(Map.of(new Partition(now.topic(), partition.partition(), now.number()), logStart));
            positions.put(partition, logStart);
        }
        return positions;
    }
}
