package dev.posflow.ingest.incarnations;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.smallrye.common.annotation.Identifier;

/**
 * What identifies the Kafka a partition lives in: the cluster id and the topic id, which change when the topic is
 * deleted and created again or the name is served by another cluster. The consumer API does not expose topic ids
 * (kafka-clients 4.1), so an admin client asks; it is created on first use, from the same kafka.* settings as the
 * channels.
 */
@ApplicationScoped
public class KafkaIds {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> config;
    private Admin admin;

    KafkaIds(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> adminConfig = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "posflow-incarnations");
        this.config = adminConfig;
    }

    /** The topic's cluster id and topic id, or empty when the topic does not exist (deleted, not created yet). */
    public Optional<TopicIdentity> identify(String topic) {
        try {
            String cluster = admin().describeCluster().clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            TopicDescription description = admin().describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return Optional.of(new TopicIdentity(cluster, description.topicId().toString()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new IllegalStateException("Could not describe topic " + topic + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe topic " + topic + " within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The first offset Kafka still holds (the log start offset) of each partition. */
    public Map<TopicPartition, Long> logStartOffsets(Collection<TopicPartition> partitions) {
        try {
            return admin()
                    .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the log start offsets of " + partitions, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** A topic as Kafka knows it now. */
    public record TopicIdentity(String clusterId, String topicId) {
    }
}
