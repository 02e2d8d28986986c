package dev.posflow.publish;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PostPositionsTest {

    @Test
    void postedSampleIsPublishedInSeedFormatKeyedBySourceAndStored() throws Exception {
        String source = "post-" + UUID.randomUUID().toString().substring(0, 8);

        given().contentType("application/json")
                .body("{\"source\": \"" + source + "\", \"x\": 3, \"y\": 4, \"sampledAt\": \"2021-04-10T20:51:36.287301Z\"}")
                .post("/positions").then()
                .statusCode(202)
                .body("accepted", is(1));

        ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(30))
                .until(() -> TestKafka.read("positions", 1, Duration.ofSeconds(2)).stream()
                        .filter(r -> source.equals(r.key())).findFirst(), found -> found.isPresent())
                .orElseThrow();
        // what the field's consumer script (json.loads) sees: the seed fields, plus source and sampledAt
        JsonNode value = new ObjectMapper().readTree(record.value());
        assertEquals("2021/04/10-20:51:36:287301", value.get("id").textValue());
        assertEquals(3, value.get("x").intValue());
        assertEquals(4, value.get("y").intValue());
        assertEquals(source, value.get("source").textValue());
        assertEquals("2021-04-10T20:51:36.287301Z", value.get("sampledAt").textValue());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", source)
                .get("/positions/latest").then()
                .statusCode(200)
                .body("x", is(3))
                .body("sampledAt", is("2021-04-10T20:51:36.287301Z"))
                .body("kafka.topic", is("positions")));
    }

    @Test
    void postedSeedFormatArrayWithoutSourceIsStoredUnderTheTopicName() {
        given().contentType("application/json")
                .body("[{\"id\": \"2023/05/06-07:08:09:000001\", \"x\": 31, \"y\": 32},"
                        + " {\"id\": \"2023/05/06-07:08:09:000002\", \"x\": 33, \"y\": 34}]")
                .post("/positions").then()
                .statusCode(202)
                .body("accepted", is(2));

        List<Map<String, Object>> rows = await().atMost(Duration.ofSeconds(30)).until(
                () -> Rows.query("select source, x from positions where sampled_at >= '2023-05-06 07:08:09.000001'"
                        + " and sampled_at <= '2023-05-06 07:08:09.000002' order by sampled_at"),
                found -> found.size() == 2);
        assertEquals("positions", rows.get(0).get("source"));
        assertEquals(31, rows.get(0).get("x"));
        assertEquals(33, rows.get(1).get("x"));
    }

    @Test
    void aSampleWithoutTimeIsStampedNow() {
        String source = "now-" + UUID.randomUUID().toString().substring(0, 8);
        long before = System.currentTimeMillis();

        given().contentType("application/json").body("{\"source\": \"" + source + "\", \"x\": 1, \"y\": 1}")
                .post("/positions").then().statusCode(202);

        String sampledAt = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("source", source)
                .get("/positions/latest").then().extract().jsonPath().getString("sampledAt"), at -> at != null);
        long at = java.time.Instant.parse(sampledAt).toEpochMilli();
        assertTrue(at >= before - 1000 && at <= System.currentTimeMillis() + 1000, sampledAt);
    }

    /** Issue 16: a sample from year 9999 would pin /positions/latest and escape retention. */
    @Test
    void aSampleBeyondMaxFutureIsRefusedWith400WhileOneWithinItIsAccepted() {
        String source = "future-" + UUID.randomUUID().toString().substring(0, 8);
        // to the microsecond, as posflow reads it
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);

        for (java.time.Instant tooLate : List.of(now.plus(Duration.ofHours(1)),
                java.time.Instant.parse("9999-01-01T00:00:00Z"))) {
            given().contentType("application/json")
                    .body("[{\"source\": \"" + source + "\", \"x\": 1, \"y\": 1},"
                            + " {\"source\": \"" + source + "\", \"x\": 1, \"y\": 1, \"sampledAt\": \""
                            + tooLate + "\"}]")
                    .post("/positions").then().statusCode(400)
                    .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                    .body("detail", org.hamcrest.Matchers.containsString("sample [1]: sampling time " + tooLate))
                    .body("detail", org.hamcrest.Matchers.containsString("posflow.sample.max-future"));
        }
        given().contentType("application/json").body("{\"source\": \"" + source + "\", \"x\": 2, \"y\": 2, "
                + "\"sampledAt\": \"" + now.plus(Duration.ofMinutes(1)) + "\"}")
                .post("/positions").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("source", source)
                .get("/positions/latest").then().extract().jsonPath().getString("sampledAt"), at -> at != null);
        given().queryParam("source", source).get("/positions").then().statusCode(200)
                .body("items.size()", is(1));
    }

    /**
     * 202 means Kafka has the samples: the topic is read up to the end offsets it has right after the answer, with
     * no waiting and no retry, and every sample of the request is there (one alone, and an array of 100).
     */
    @Test
    void everySampleIsInTheTopicWhenTheAnswerIs202() {
        String single = "acked-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body("{\"source\": \"" + single + "\", \"x\": 7, \"y\": 8}")
                .post("/positions").then().statusCode(202).body("accepted", is(1));
        assertEquals(List.of(7), xOf(single, TestKafka.readToCurrentEnd("positions")));

        String many = "acked-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"source\": \"").append(many).append("\", \"x\": ").append(i)
                    .append(", \"y\": 1}");
        }
        given().contentType("application/json").body(body.append(']').toString())
                .post("/positions").then().statusCode(202).body("accepted", is(100));
        assertEquals(IntStream.range(0, 100).boxed().toList(), xOf(many, TestKafka.readToCurrentEnd("positions")));
    }

    /** The x of each record of a source, in the topic's order. */
    private static List<Integer> xOf(String source, List<ConsumerRecord<String, String>> records) {
        ObjectMapper json = new ObjectMapper();
        return records.stream().filter(record -> source.equals(record.key())).map(record -> {
            try {
                return json.readTree(record.value()).get("x").intValue();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
