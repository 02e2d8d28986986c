package dev.posflow.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The field's producers (kafka-python, string serializer, no key, topic JSON) feed posflow unchanged. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SeedFormatIngestTest {

    @Test
    void seedRecordFromAPlainProducerLandsAsARowAndReadsBackOverRestWithItsMicroseconds() {
        RecordMetadata sent = TestKafka.send("JSON", "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": 910, \"y\": 454}")
                .get(0);

        Map<String, Object> row = awaitRow(sent);
        assertEquals("JSON", row.get("source"), "a keyless record without source is named after its topic");
        assertEquals("2021-04-10 20:51:36.287301", row.get("sampled_at"), "MySQL keeps the microseconds");
        assertEquals(910, row.get("x"));
        assertEquals(454, row.get("y"));

        given().get("/positions/" + row.get("id")).then()
                .statusCode(200)
                .body("id", is(((Number) row.get("id")).intValue()))
                .body("source", is("JSON"))
                .body("sampledAt", is("2021-04-10T20:51:36.287301Z"))
                .body("x", is(910))
                .body("y", is(454))
                .body("receivedAt", is(((String) row.get("received_at")).replace(' ', 'T') + "Z"))
                .body("kafka.topic", is("JSON"))
                .body("kafka.partition", is(sent.partition()))
                .body("kafka.offset", is((int) sent.offset()));
    }

    @Test
    void sourceComesFromTheFieldThenTheKeyThenTheTopic() {
        RecordMetadata withField = TestKafka.sendKeyed("JSON", "laptop-key",
                "{\"id\": \"2021/04/10-20:51:37:000001\", \"x\": 1, \"y\": 2, \"source\": \"laptop-field\"}").get(0);
        RecordMetadata withKey = TestKafka.sendKeyed("JSON", "laptop-key",
                "{\"id\": \"2021/04/10-20:51:37:000002\", \"x\": 1, \"y\": 2}").get(0);

        assertEquals("laptop-field", awaitRow(withField).get("source"));
        assertEquals("laptop-key", awaitRow(withKey).get("source"));
    }

    @Test
    void sampledAtIsTakenAsAnExactInstant() {
        RecordMetadata sent = TestKafka.send("JSON",
                "{\"sampledAt\": \"2021-04-10T22:51:36.000042+02:00\", \"x\": 5, \"y\": 6, \"source\": \"iso\"}").get(0);

        assertEquals("2021-04-10 20:51:36.000042", awaitRow(sent).get("sampled_at"));
    }

    @Test
    void anOlderSampleArrivingLateDoesNotReplaceTheLatest() {
        String newer = "{\"source\": \"late\", \"sampledAt\": \"2021-04-10T20:00:02.000002Z\", \"x\": 2, \"y\": 2}";
        String older = "{\"source\": \"late\", \"sampledAt\": \"2021-04-10T20:00:01.000001Z\", \"x\": 1, \"y\": 1}";
        // stored after both on the same partition: once it shows as latest, both have been taken into account
        String marker = "{\"source\": \"late-marker\", \"sampledAt\": \"2021-04-10T20:00:03Z\", \"x\": 3, \"y\": 3}";
        List<RecordMetadata> sent = TestKafka.send("JSON", newer, older, marker);
        assertEquals(sent.get(0).partition(), sent.get(2).partition());
        awaitRow(sent.get(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", "late-marker")
                .get("/positions/latest").then().statusCode(200));

        given().queryParam("source", "late").get("/positions/latest").then()
                .statusCode(200)
                .body("x", is(2))
                .body("sampledAt", is("2021-04-10T20:00:02.000002Z"));
    }

    static Map<String, Object> awaitRow(RecordMetadata sent) {
        List<Map<String, Object>> rows = await().atMost(Duration.ofSeconds(30))
                .until(() -> Rows.forRecord(sent.topic(), sent.partition(), sent.offset()), found -> !found.isEmpty());
        assertEquals(1, rows.size());
        return rows.get(0);
    }
}
