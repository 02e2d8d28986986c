package dev.posflow.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.posflow.store.write.PositionsStored;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Ingest ends at the commit: readers of a stored batch run after it, and their failures stay theirs. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StoredBatchObserversTest {

    static final String FAILING_SOURCE = "observer-fails";

    /** A reader of stored batches that fails on every batch holding {@link #FAILING_SOURCE}. */
    @ApplicationScoped
    static class FailingObserver {

        private final AtomicInteger failingBatches = new AtomicInteger();

        /** A method, not the field: the test holds a client proxy, whose own fields are not the bean's. */
        int failingBatches() {
            return failingBatches.get();
        }

        void onStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) PositionsStored batch) {
            if (batch.sources().contains(FAILING_SOURCE)) {
                failingBatches.incrementAndGet();
                throw new IllegalStateException("an observer of stored batches failed, on purpose");
            }
        }
    }

    @Inject
    FailingObserver observer;

    @Inject
    PositionIngestor ingestor;

    @Test
    void aFailingObserverNeitherRetriesNorDuplicatesTheStoredBatch() {
        RecordMetadata failing = TestKafka.send("JSON", "{\"source\": \"" + FAILING_SOURCE
                + "\", \"sampledAt\": \"2021-04-10T22:00:00.000001Z\", \"x\": 5, \"y\": 6}").get(0);
        SeedFormatIngestTest.awaitRow(failing);
        // a record behind it on the same partition (the topic has one) is stored: ingest went on past the batch
        RecordMetadata behind = TestKafka.send("JSON",
                "{\"source\": \"after-a-failing-observer\", \"sampledAt\": \"2021-04-10T22:00:01Z\", \"x\": 7, \"y\": 8}")
                .get(0);
        assertEquals(failing.partition(), behind.partition());
        SeedFormatIngestTest.awaitRow(behind);

        // a retry of the batch would have written it again, and so fired and failed again
        assertEquals(1, observer.failingBatches(), "batches of the failing source seen by the observer");
        assertEquals(1, Rows.count("select count(*) from positions where source = ?", FAILING_SOURCE));
        assertEquals(1, Rows.count("select row_count from latest_positions where source = ?", FAILING_SOURCE));
        // the other readers still ran: the latest snapshot shows the batch
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().queryParam("source", FAILING_SOURCE)
                .get("/positions/latest").then().statusCode(200).body("x", is(5)));
    }

    @Test
    void aStoredBatchIsInTheLatestSnapshotMomentsAfterItsCommit() throws Exception {
        // straight through the ingestor, on the test's thread: the snapshot reloads the batch's sources on its own
        // thread after the commit, so that ingest goes on meanwhile
        ingestor.ingest(List.of(new ConsumerRecord<>("observers-latest", 0, 0L, null,
                "{\"source\": \"latest-at-commit\", \"sampledAt\": \"2021-04-10T22:00:02Z\", \"x\": 9, \"y\": 10}")));

        // well within the refresh (posflow.latest.refresh, 1 s), which would also show it, though later
        await().atMost(Duration.ofMillis(500)).untilAsserted(() -> given().queryParam("source", "latest-at-commit")
                .get("/positions/latest").then().statusCode(200).body("x", is(9))
                .body("kafka.topic", is("observers-latest")));
    }
}
