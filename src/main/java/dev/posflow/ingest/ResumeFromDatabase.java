package dev.posflow.ingest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.posflow.store.OffsetStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * On partition assignment, positions the consumer where MySQL says ingest stopped.
 * <p>
 * MySQL's ingest_offsets commit with the rows; Kafka's committed offset trails them (commits are periodic) and may be
 * lost or reset. So MySQL decides, for every partition it knows; Kafka's committed offset (or auto.offset.reset) only
 * for a partition never ingested.
 */
@ApplicationScoped
@Identifier("posflow-ingest")
public class ResumeFromDatabase implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(ResumeFromDatabase.class);

    private final OffsetStore offsets;

    ResumeFromDatabase(OffsetStore offsets) {
        this.offsets = offsets;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<String, List<TopicPartition>> byTopic = partitions.stream()
                .collect(Collectors.groupingBy(TopicPartition::topic));
        byTopic.forEach((topic, topicPartitions) -> {
            Map<Integer, Long> next = offsets.nextOffsets(topic,
                    topicPartitions.stream().map(TopicPartition::partition).toList());
            for (TopicPartition partition : topicPartitions) {
                Long offset = next.get(partition.partition());
                if (offset != null) {
                    consumer.seek(partition, offset);
                }
            }
            LOG.infof("Assigned %s; resuming from MySQL at %s", topicPartitions, next);
        });
    }
}
