package dev.posflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import dev.posflow.ingest.incarnations.ResumeFromDatabase;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RedeliveryTest {

    private static final String VALUE = "{\"id\": \"2021/04/10-20:51:40:000001\", \"x\": 7, \"y\": 8}";

    @Inject
    PositionIngestor ingestor;

    @Inject
    @Identifier("posflow-ingest")
    ResumeFromDatabase resume;

    @Test
    void aRedeliveredRecordMakesNoSecondRow() throws Exception {
        RecordMetadata sent = TestKafka.send("JSON", VALUE).get(0);
        SeedFormatIngestTest.awaitRow(sent);

        // what Kafka hands out again after a rebalance or a restart before its offset was committed
        ConsumerRecord<String, String> again = new ConsumerRecord<>(sent.topic(), sent.partition(), sent.offset(),
                null, VALUE);
        ingestor.ingest(List.of(again));
        ingestor.ingest(List.of(again, again));

        assertEquals(1, Rows.count("select count(*) from positions where kafka_topic = ? and kafka_partition = ?"
                + " and kafka_offset = ?", sent.topic(), sent.partition(), sent.offset()));
    }

    @Test
    void aBatchMixingAStoredRecordWithNewOnesStoresEachOnce() throws Exception {
        String topic = "redelivery-mix";
        ingestor.ingest(List.of(record(topic, 0)));
        assertEquals(1, Rows.count("select count(*) from positions where kafka_topic = ?", topic));

        // a zombie consumer's batch overlapping what the live one stored: the new records land, the stored one stays
        ingestor.ingest(List.of(record(topic, 0), record(topic, 1), record(topic, 2)));

        assertEquals(3, Rows.count("select count(*) from positions where kafka_topic = ?", topic));
        assertEquals(3, Rows.count("select count(distinct kafka_offset) from positions where kafka_topic = ?", topic));
        assertEquals(3, Rows.count("select next_offset from ingest_offsets where kafka_topic = ?", topic));
        // what /sources shows: the records of the topic, each once, not the sum of the two batches
        assertEquals(3, Rows.count("select row_count from latest_positions where source = ?", topic));
    }

    private static ConsumerRecord<String, String> record(String topic, long offset) {
        return new ConsumerRecord<>(topic, 0, offset, null, VALUE.replace("\"x\": 7", "\"x\": " + offset));
    }

    @Test
    void aReassignedPartitionResumesWhereMysqlSaysEvenWhenKafkaOffsetsWereReset() {
        RecordMetadata sent = TestKafka.send("JSON", VALUE.replace("40:000001", "41:000001")).get(0);
        SeedFormatIngestTest.awaitRow(sent);
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        long next = ((Number) Rows.query("select next_offset from ingest_offsets where kafka_topic = ?"
                + " and kafka_partition = ?", sent.topic(), sent.partition()).get(0).get("next_offset")).longValue();
        // a consumer whose group lost its offsets would start from the beginning (auto.offset.reset=earliest)
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, next));

        resume.onPartitionsAssigned(consumer, List.of(partition));

        assertTrue(next > sent.offset(), "MySQL has the record's offset: " + next);
        assertEquals(next, consumer.position(partition));
    }
}
