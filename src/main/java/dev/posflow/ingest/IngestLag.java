package dev.posflow.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.posflow.store.write.IncarnationStore;
import dev.posflow.store.schema.KafkaIncarnation;
import dev.posflow.store.write.OffsetStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Gauge {@code posflow.ingest.lag{topic, partition}}: per assigned partition, the records between the partition's end
 * and what MySQL holds (ingest_offsets), i.e. what a crash now would have to ingest again or has yet to ingest.
 * Refreshed every {@code posflow.ingest.lag-refresh} by a scheduled job, never by a scrape or a health probe: the end
 * offsets are one request to the broker, on the consumer's own polling thread (a KafkaConsumer is not thread-safe),
 * and the marks one primary-key read.
 */
@ApplicationScoped
public class IngestLag {

    private static final Logger LOG = Logger.getLogger(IngestLag.class);
    private static final String CHANNEL = "positions-in";
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaClientService clients;
    private final OffsetStore offsets;
    private final IncarnationStore incarnations;
    private final MultiGauge lag;

    IngestLag(KafkaClientService clients, OffsetStore offsets, IncarnationStore incarnations, MeterRegistry registry) {
        this.clients = clients;
        this.offsets = offsets;
        this.incarnations = incarnations;
        this.lag = MultiGauge.builder("posflow.ingest.lag")
                .description("Records of a partition not yet stored in MySQL (end offset minus ingest_offsets)")
                .baseUnit("records").register(registry);
    }

    @Scheduled(every = "${posflow.ingest.lag-refresh}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            lag.register(rows(), true);
        } catch (RuntimeException e) {
            LOG.debugf("Ingest lag not refreshed, keeping the last figures: %s", e);
        }
    }

    private List<MultiGauge.Row<?>> rows() {
        KafkaConsumer<Object, Object> consumer = clients.getConsumer(CHANNEL);
        if (consumer == null) {
            return List.of();
        }
        Map<TopicPartition, Long> ends = consumer.runOnPollingThread(c -> {
            Set<TopicPartition> assigned = c.assignment();
            return assigned.isEmpty() ? Map.<TopicPartition, Long> of() : c.endOffsets(assigned, BROKER_TIMEOUT);
        }).await().atMost(BROKER_TIMEOUT.multipliedBy(2));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        Map<String, List<TopicPartition>> byTopic = ends.keySet().stream()
                .collect(Collectors.groupingBy(TopicPartition::topic));
        byTopic.forEach((topic, partitions) -> {
            // the marks of the topic's current incarnation: those of an older one say nothing of today's offsets
            int incarnation = incarnations.latest(topic).map(KafkaIncarnation::number).orElse(0);
            Map<Integer, Long> stored = offsets.nextOffsets(topic, incarnation,
                    partitions.stream().map(TopicPartition::partition).toList());
            for (TopicPartition partition : partitions) {
                long behind = Math.max(0, ends.get(partition) - stored.getOrDefault(partition.partition(), 0L));
                rows.add(MultiGauge.Row.of(Tags.of("topic", topic, "partition", Integer.toString(partition.partition())),
                        behind));
            }
        });
        return rows;
    }
}
