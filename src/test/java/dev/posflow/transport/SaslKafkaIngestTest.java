package dev.posflow.transport;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.Rows;
import dev.posflow.testing.SaslKafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** posflow reads and writes through a SASL/PLAIN listener when given the kafka.* credentials, and nothing else. */
@QuarkusTest
@WithTestResource(value = SaslKafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SaslKafkaIngestTest {

    private static RecordMetadata send(String user, String password, String value) throws Exception {
        Map<String, Object> config = new HashMap<>(SaslKafkaBrokerResource.clientConfig(user, password));
        config.put("acks", "all");
        config.put("max.block.ms", "20000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            return producer.send(new ProducerRecord<>("JSON", value)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSeedRecordSentOverSaslIsStored() throws Exception {
        RecordMetadata sent = send(SaslKafkaBrokerResource.USER, SaslKafkaBrokerResource.PASSWORD,
                "{\"id\": \"2021/04/10-20:54:00:000001\", \"x\": 910, \"y\": 454}");

        List<Map<String, Object>> rows = await().atMost(Duration.ofSeconds(60)).until(
                () -> Rows.forRecord(sent.topic(), sent.partition(), sent.offset()), found -> found.size() == 1);
        assertEquals(910, rows.get(0).get("x"));
        assertEquals("JSON", rows.get(0).get("source"));
    }

    @Test
    void aPostedSampleGoesOutAndComesBackOverSasl() {
        given().contentType("application/json")
                .body("{\"source\": \"sasl-post\", \"x\": 5, \"y\": 6, \"sampledAt\": \"2021-04-10T20:55:00Z\"}")
                .post("/positions").then().statusCode(202);

        await().atMost(Duration.ofSeconds(60)).until(
                () -> Rows.count("select count(*) from positions where source = 'sasl-post'") == 1);
    }

    @Test
    void aClientWithAWrongPasswordIsRefusedByTheBroker() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> send(SaslKafkaBrokerResource.USER, "wrong", "{\"x\": 1, \"y\": 2}"));
        assertInstanceOf(SaslAuthenticationException.class, e.getCause());
    }
}
