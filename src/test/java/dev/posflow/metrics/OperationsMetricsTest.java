package dev.posflow.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.ingest.incarnations.LostCommits;
import dev.posflow.ingest.incarnations.MarksCheck;
import dev.posflow.store.erase.PositionEraser;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The operator's metrics at the management port's /q/metrics: ingest lag against MySQL, batch write time, deletions. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperationsMetricsTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    PositionEraser eraser;

    @Inject
    Scheduler scheduler;

    @Inject
    LostCommits lostCommits;

    private double metric(String line) {
        String body = given().get(metrics).then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(line) + " (\\S+)$").matcher(body);
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }

    /** A counter that nothing has counted yet is not in the scrape: as the first test of a fresh app, that is 0. */
    private double countSoFar(String line) {
        double value = metric(line);
        return Double.isNaN(value) ? 0 : value;
    }

    @Test
    void lagPerPartitionIsTheRecordsKafkaHasBeyondWhatMySqlHolds() {
        String source = "lag-" + UUID.randomUUID().toString().substring(0, 8);
        TestKafka.send("JSON", "{\"source\": \"" + source + "\", \"sampledAt\": \"2024-01-01T00:00:00Z\", \"x\": 1,"
                + " \"y\": 2}");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.count("select count(*) from positions where source = ?", source) == 1);
        String lag = "posflow_ingest_lag_records{partition=\"0\",topic=\"JSON\"}";
        await().atMost(Duration.ofSeconds(30)).until(() -> metric(lag) == 0.0);

        // as if MySQL held 7 records fewer than the consumer has read: the gauge follows MySQL, not the consumer.
        // The marks check would take that for a failover's lost commits and read the 7 again, so it is paused
        // (and a check already under way is waited for: it holds the lock) until the mark is put back
        scheduler.pause(MarksCheck.JOB);
        lostCommits.exclusive().lock();
        lostCommits.exclusive().unlock();
        Rows.update("update ingest_offsets set next_offset = next_offset - 7 where kafka_topic = 'JSON'"
                + " and kafka_partition = 0");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(lag) == 7.0);
        } finally {
            Rows.update("update ingest_offsets set next_offset = next_offset + 7 where kafka_topic = 'JSON'"
                    + " and kafka_partition = 0");
            scheduler.resume(MarksCheck.JOB);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> metric(lag) == 0.0);
    }

    @Test
    void batchWritesAreTimedAndDeletedRowsCountedByCause() {
        String source = "deleted-" + UUID.randomUUID().toString().substring(0, 8);
        double writesBefore = countSoFar("posflow_ingest_batch_write_seconds_count");
        double erasedBefore = countSoFar("posflow_positions_deleted_total{cause=\"erased\"}");
        TestKafka.send("JSON", "{\"source\": \"" + source + "\", \"sampledAt\": \"2024-01-01T00:00:00Z\", \"x\": 1,"
                + " \"y\": 2}", "{\"source\": \"" + source + "\", \"sampledAt\": \"2024-01-01T00:00:01Z\", \"x\": 1,"
                + " \"y\": 2}");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.count("select count(*) from positions where source = ?", source) == 2);

        assertTrue(metric("posflow_ingest_batch_write_seconds_count") > writesBefore,
                "a batch write was timed");
        assertTrue(metric("posflow_ingest_batch_write_seconds_max") > 0);
        assertEquals(2, eraser.eraseBefore(Optional.of(source), Instant.parse("2025-01-01T00:00:00Z"), 5000,
                PositionEraser.Cause.ERASED));
        assertEquals(erasedBefore + 2, metric("posflow_positions_deleted_total{cause=\"erased\"}"));
        given().get(metrics).then().body(containsString("posflow_positions_deleted_total{cause=\"purged\"}"));
    }
}
