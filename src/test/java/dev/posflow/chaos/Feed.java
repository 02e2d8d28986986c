package dev.posflow.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces the scenario's records in the field's format (string values, no key): record i carries x = i, so that the
 * stored rows can be checked one by one. Paced, so that faults land while ingest is busy.
 */
final class Feed {

    private Feed() {
    }

    static void createTopic(String bootstrapServers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, topic);
        }
    }

    /**
     * Until the broker's own metadata names a leader for every partition. Created is not yet led: a first produce
     * that met NOT_LEADER_OR_FOLLOWER left the idempotent feed retrying OUT_OF_ORDER_SEQUENCE_NUMBER for minutes
     * (the poison scenario timed out so in two CI runs).
     */
    private static void awaitLeaders(Admin admin, String topic) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                        .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    }

    /** A topic as production has them: three replicas, a write acknowledged once two of them hold it. */
    static void createReplicatedTopic(String bootstrapServers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static String good(int i) {
        long micros = 1_618_087_896_000_000L + i;
        return "{\"source\": \"fault\", \"sampledAt\": \"" + java.time.Instant.ofEpochSecond(micros / 1_000_000,
                (micros % 1_000_000) * 1_000) + "\", \"x\": " + i + ", \"y\": " + (i % 1080) + "}";
    }

    /**
     * Sends {@code count} records in the background over about {@code over}, retrying through broker outages
     * (idempotent producer, long delivery timeout); completes when every record is acknowledged.
     */
    static CompletableFuture<Void> start(String bootstrapServers, String topic, int count, Duration over,
            java.util.function.IntFunction<String> value) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        return CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                    // one batch in flight per partition: a retried first batch leaves no later one out of sequence
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                    ProducerConfig.LINGER_MS_CONFIG, "5",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000"), new StringSerializer(), new StringSerializer())) {
                long started = System.nanoTime();
                int slices = 100;
                for (int i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>(topic, value.apply(i)), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
                    if ((i + 1) % (count / slices) == 0) {
                        long due = started + over.toNanos() * ((i + 1) / (count / slices)) / slices;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a record was not produced", failure.get());
            }
        });
    }

    /**
     * Every record of a dead-letter topic, read to its end with read_committed (call once ingest is done); none when
     * the topic was never created.
     */
    static List<ConsumerRecord<String, String>> deadLetters(String bootstrapServers, String deadLetterTopic)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(deadLetterTopic)) {
                return List.of();
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic).stream()
                    .map(p -> new TopicPartition(deadLetterTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(deadLetterTopic + " not read to its end " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }
}
