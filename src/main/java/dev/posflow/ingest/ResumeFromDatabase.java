package dev.posflow.ingest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.posflow.store.PositionWriter;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * On partition assignment, moves the consumer past every record MySQL holds already.
 * <p>
 * Kafka's committed offset trails what is stored (commits are periodic), and it can be lost or reset. The rows carry
 * their own offsets, committed in the same transaction as the data, so the consumer resumes at the later of the
 * two: the stored rows are never read again, and a dead-lettered record that Kafka saw committed is not re-sent.
 */
@ApplicationScoped
@Identifier("posflow-ingest")
public class ResumeFromDatabase implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ResumeFromDatabase.class);

    private final PositionWriter writer;

    ResumeFromDatabase(PositionWriter writer) {
        this.writer = writer;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        Map<String, List<TopicPartition>> byTopic = partitions.stream()
                .collect(Collectors.groupingBy(TopicPartition::topic));
        byTopic.forEach((topic, topicPartitions) -> {
            Map<Integer, Long> stored = writer.highestStoredOffsets(topic,
                    topicPartitions.stream().map(TopicPartition::partition).toList());
            for (TopicPartition partition : topicPartitions) {
                Long highest = stored.get(partition.partition());
                if (highest == null) {
                    continue;
                }
                OffsetAndMetadata kafka = committed.get(partition);
                long next = highest + 1;
                if (kafka == null || kafka.offset() < next) {
                    LOG.infof("Resuming %s at offset %d, after the last row stored (Kafka had %s)", partition, next,
                            kafka == null ? "no committed offset" : kafka.offset());
                    consumer.seek(partition, next);
                }
            }
        });
    }
}
