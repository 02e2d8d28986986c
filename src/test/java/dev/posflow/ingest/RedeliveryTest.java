package dev.posflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RedeliveryTest {

    private static final String VALUE = "{\"id\": \"2021/04/10-20:51:40:000001\", \"x\": 7, \"y\": 8}";

    @Inject
    PositionIngestor ingestor;

    @Test
    void aRedeliveredRecordMakesNoSecondRow() throws Exception {
        RecordMetadata sent = TestKafka.send("JSON", VALUE).get(0);
        SeedFormatIngestTest.awaitRow(sent);

        // what Kafka hands out again after a rebalance or a restart before its offset was committed
        ConsumerRecord<String, String> again = new ConsumerRecord<>(sent.topic(), sent.partition(), sent.offset(),
                null, VALUE);
        ingestor.ingest(again);
        ingestor.ingest(again);

        assertEquals(1, Rows.count("select count(*) from positions where kafka_topic = ? and kafka_partition = ?"
                + " and kafka_offset = ?", sent.topic(), sent.partition(), sent.offset()));
    }
}
