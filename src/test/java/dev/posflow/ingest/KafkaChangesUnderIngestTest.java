package dev.posflow.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import dev.posflow.ingest.incarnations.ResumeFromDatabase;

/**
 * What ingest does when the consumer does not go on where it was, batch by batch (the fault suite's
 * IncarnationSuiteIT covers restarts and rebalances on the packaged app), and the operator's replay.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KafkaChangesUnderIngestTest {

    private static final String VALUE = "{\"sampledAt\": \"2021-04-10T20:51:40.000001Z\", \"x\": %d, \"y\": 8}";

    @Inject
    PositionIngestor ingestor;

    @Inject
    @Identifier("posflow-ingest")
    ResumeFromDatabase resume;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    @Test
    void aConsumerPutBackToTheStartOfARecreatedTopicStoresItsRecordsAsANewIncarnation() throws Exception {
        String topic = "watch-recreated";
        TopicPartition partition = new TopicPartition(topic, 0);
        createTopic(topic);
        assign(partition, 0, 0);
        ingestor.ingest(records(topic, 0, 10, 0));
        deleteAndCreate(topic);

        // what the consumer hands out after its position vanished: auto.offset.reset=earliest, offset 0 again
        ingestor.ingest(records(topic, 0, 5, 100));

        assertEquals(10, Rows.count("select count(*) from positions where kafka_topic = ? and kafka_incarnation = 0",
                topic));
        assertEquals(5, Rows.count("select count(*) from positions where kafka_topic = ? and kafka_incarnation = 1"
                + " and x >= 100", topic));
        assertEquals(5, Rows.count("select next_offset from ingest_offsets where kafka_topic = ?"
                + " and kafka_incarnation = 1", topic));
        assertEquals(1.0, registry.counter("posflow.ingest.incarnations", "reason", "topic-recreated").count());
    }

    @Test
    void recordsDeletedWhileIngestWasBehindAreCountedAsSkipped() throws Exception {
        String topic = "watch-retention";
        TopicPartition partition = new TopicPartition(topic, 0);
        createTopic(topic);
        for (int i = 0; i < 30; i++) {
            TestKafka.send(topic, VALUE.formatted(i));
        }
        assign(partition, 0, 30);
        ingestor.ingest(records(topic, 0, 10, 0));
        double before = registry.counter("posflow.ingest.skipped.records", "reason", "retention").count();
        try (Admin admin = admin()) {
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(20))).all().get(30, TimeUnit.SECONDS);
        }

        // the consumer fell off the log start: reset to earliest, it goes on at 20
        ingestor.ingest(records(topic, 20, 10, 20));

        assertEquals(10.0, registry.counter("posflow.ingest.skipped.records", "reason", "retention").count() - before,
                "offsets 10..19, deleted by Kafka");
        assertEquals(20, Rows.count("select count(*) from positions where kafka_topic = ?", topic));
    }

    @Test
    void aReplayStoresWhatIsMissingAndLeavesWhatIsStored() throws Exception {
        List<RecordMetadata> sent = TestKafka.send("JSON", VALUE.formatted(501), VALUE.formatted(502),
                VALUE.formatted(503));
        RecordMetadata first = sent.get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count("select count(*) from positions"
                + " where kafka_topic = 'JSON' and kafka_offset between ? and ?", first.offset(),
                first.offset() + 2) == 3);
        try (Connection connection = dataSource.getConnection(); PreparedStatement delete = connection
                .prepareStatement("delete from positions where kafka_topic = 'JSON' and kafka_offset = ?")) {
            // what an operator does by hand; the replay brings the row back
            delete.setLong(1, first.offset() + 1);
            assertEquals(1, delete.executeUpdate());
        }

        given().contentType("application/json")
                .body("{\"topic\": \"JSON\", \"partition\": " + first.partition() + ", \"from\": "
                        + first.offset() + "}")
                .post("/admin/replay").then().statusCode(202).body("from", is((int) first.offset()));

        await().atMost(Duration.ofSeconds(30)).until(() -> Rows.count("select count(*) from positions"
                + " where kafka_topic = 'JSON' and kafka_offset between ? and ?", first.offset(),
                first.offset() + 2) == 3);
        assertEquals(0, Rows.count("select count(*) - count(distinct kafka_incarnation, kafka_offset) from positions"
                + " where kafka_topic = 'JSON'"));
    }

    @Test
    void aReplayOfAPartitionThisInstanceDoesNotIngestIsRefused() {
        given().contentType("application/json").body("{\"topic\": \"JSON\", \"partition\": 7, \"from\": 0}")
                .post("/admin/replay").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("not assigned to this instance"));
        given().contentType("application/json").body("{\"topic\": \"JSON\"}")
                .post("/admin/replay").then().statusCode(400).contentType("application/problem+json");
    }

    /** What the rebalance listener does when the partition is assigned, with a consumer of the given offsets. */
    private void assign(TopicPartition partition, long begin, long end) {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, begin));
        consumer.updateEndOffsets(Map.of(partition, end));
        resume.onPartitionsAssigned(consumer, List.of(partition));
    }

    private static List<ConsumerRecord<String, String>> records(String topic, long from, int count, int firstX) {
        return LongStream.range(from, from + count).mapToObj(offset -> new ConsumerRecord<String, String>(topic, 0,
                offset, null, VALUE.formatted(firstX + offset - from))).toList();
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void deleteAndCreate(String topic) throws Exception {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        return false;
                    }
                    throw e;
                }
            });
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers()));
    }
}
