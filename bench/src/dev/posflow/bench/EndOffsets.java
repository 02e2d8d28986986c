package dev.posflow.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints the sum of a topic's end offsets (its high watermarks: records the broker has acknowledged to an acks=all
 * producer), 0 for a topic that does not exist yet. Two calls around a load run tell how many records it added.
 * <p>
 * Usage: EndOffsets bootstrap topic
 */
public final class EndOffsets {

    public static void main(String[] args) {
        String topic = args[1];
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            boolean exists = consumer.listTopics(Duration.ofSeconds(30)).containsKey(topic);
            if (!exists) {
                System.out.println(0);
                return;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            long sum = consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue).sum();
            System.out.println(sum);
        }
    }
}
