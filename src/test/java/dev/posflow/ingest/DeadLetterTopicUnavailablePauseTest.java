package dev.posflow.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The default policy, {@code posflow.ingest.dead-letter-unavailable=pause}: while the dead-letter topic cannot be
 * written, readiness is DOWN and ingest waits at the poison record; once the topic takes letters again, the letter
 * lands, the record after it is stored and readiness is UP again. Nothing lost.
 */
@QuarkusTest
@TestProfile(DeadLetterTopicUnavailablePauseTest.MissingTopicPause.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DeadLetterTopicUnavailablePauseTest {

    static final String TOPIC = "dlq-down-pause";
    static final String DEAD_LETTER_TOPIC = "dlq-missing-pause";

    public static class MissingTopicPause implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return DeadLetterTopicUnavailableTest.missingDeadLetterTopic(TOPIC, DEAD_LETTER_TOPIC, "pause");
        }
    }

    final String ready = DeadLetterTopicUnavailableTest.management("/health/ready");

    @Test
    void unwritableDeadLetterTopicMakesReadinessDownAndIngestWaitsUntilItCanBeWritten() throws Exception {
        DeadLetterTopicUnavailableTest.createTooSmall(DEAD_LETTER_TOPIC);
        byte[] poison = "not json".getBytes();
        RecordMetadata bad = PoisonRecordsNeverStopIngestTest.send(TOPIC, null, poison);
        RecordMetadata good = PoisonRecordsNeverStopIngestTest.send(TOPIC, null,
                PoisonRecordsNeverStopIngestTest.good(5));

        awaitReadiness(503, Duration.ofSeconds(60));
        given().get(ready).then().body(containsString(DEAD_LETTER_TOPIC + " did not take"));
        assertTrue(Rows.forRecord(good.topic(), good.partition(), good.offset()).isEmpty(),
                "nothing passes the poison record while its letter cannot be written");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, DEAD_LETTER_TOPIC);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET)))).all().get();
        }
        // the batch's retries back off up to 10 s, each attempt waiting up to its timeout
        awaitStored(good, Duration.ofSeconds(90));
        // The letter carries the record's bytes, or, when the limit was raised between the full letter's refusal
        // and its value-less retry (a race CI met), the documented fallback: no value, its size in a header
        var letter = PoisonRecordsNeverStopIngestTest.letterFor(bad, DEAD_LETTER_TOPIC);
        if (letter.value() == null || letter.value().length == 0) {
            assertEquals(String.valueOf(poison.length), new String(
                    letter.headers().lastHeader("dead-letter-value-size").value(), StandardCharsets.UTF_8));
        } else {
            assertArrayEquals(poison, letter.value());
        }
        awaitReadiness(200, Duration.ofSeconds(30));
    }

    private void awaitReadiness(int status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (given().get(ready).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("readiness not " + status + " within " + within + ": "
                        + given().get(ready).asString());
            }
            Thread.sleep(200);
        }
    }

    private static void awaitStored(RecordMetadata sent, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (Rows.forRecord(sent.topic(), sent.partition(), sent.offset()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the record at " + sent + " was not stored within " + within);
            }
            Thread.sleep(200);
        }
    }
}
