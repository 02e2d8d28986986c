package dev.posflow.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A dead-letter topic that cannot be written (here: its max.message.bytes below any letter) under
 * {@code posflow.ingest.dead-letter-unavailable=skip}: readiness goes DOWN with the reason, the metrics count it, and
 * ingest goes on past the poison record.
 */
@QuarkusTest
@TestProfile(DeadLetterTopicUnavailableTest.MissingTopicSkip.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DeadLetterTopicUnavailableTest {

    static final String TOPIC = "dlq-down-skip";

    public static class MissingTopicSkip implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return missingDeadLetterTopic(TOPIC, "dlq-missing-skip", "skip");
        }
    }

    /** The ingest topic, and a dead-letter topic that {@link #createTooSmall} makes unwritable. */
    static Map<String, String> missingDeadLetterTopic(String topic, String deadLetterTopic, String policy) {
        return Map.of(
                "posflow.ingest.topics", topic,
                "posflow.ingest.dead-letter-topic", deadLetterTopic,
                "posflow.ingest.dead-letter-unavailable", policy,
                "posflow.ingest.dead-letter-timeout", "5s");
    }

    /**
     * Creates the dead-letter topic with a max.message.bytes that not even a letter without its value fits: the
     * broker refuses every letter, as it would a missing topic or a denied write. (The test broker creates missing
     * topics by itself, and the producer, unlike the consumer, cannot be told not to ask it to.)
     */
    static void createTooSmall(String deadLetterTopic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(deadLetterTopic, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "64")))).all().get();
        }
    }

    /** The management port as this run configured it (QUARKUS_MANAGEMENT_TEST_PORT); 9001 is Quarkus's default. */
    static String management(String path) {
        return "http://localhost:" + ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001) + "/q" + path;
    }

    final String ready = management("/health/ready");

    final String metrics = management("/metrics");

    @Test
    void unwritableDeadLetterTopicMakesReadinessDownAndWithSkipIngestGoesOn() throws Exception {
        createTooSmall("dlq-missing-skip");
        RecordMetadata bad = PoisonRecordsNeverStopIngestTest.send(TOPIC, null, "not json".getBytes());
        RecordMetadata good = PoisonRecordsNeverStopIngestTest.send(TOPIC, null,
                PoisonRecordsNeverStopIngestTest.good(4));

        PoisonRecordsNeverStopIngestTest.awaitStored(good);
        given().get(ready).then().statusCode(503)
                .body("checks.name", hasItem("dead-letter topic"))
                .body(containsString("dlq-missing-skip did not take 1 of 1 records"));
        given().get(metrics).then().statusCode(200)
                .body(containsString("posflow_ingest_records_total{outcome=\"skipped-without-dead-letter\"} 1.0"))
                .body(containsString("posflow_ingest_dead_letter_failures_total 1.0"));
        assert bad.offset() < good.offset();
    }
}
