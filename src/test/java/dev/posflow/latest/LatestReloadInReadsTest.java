package dev.posflow.latest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.posflow.ingest.PositionIngestor;
import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A batch of more sources than one read of the snapshot takes is reloaded whole, read after read. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LatestReloadInReadsTest {

    @Inject
    PositionIngestor ingestor;

    @Inject
    LatestSnapshot latest;

    @Test
    void everySourceOfABatchSpanningSeveralReadsIsInTheSnapshotAfterItsCommit() throws Exception {
        // two full reads and one of a single source
        int sources = 2 * LatestSnapshot.READ_CHUNK + 1;
        List<ConsumerRecord<String, String>> batch = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            batch.add(new ConsumerRecord<>("latest-in-reads", 0, i, null, "{\"source\": \"" + source(i)
                    + "\", \"sampledAt\": \"2021-04-10T22:00:03Z\", \"x\": " + i + ", \"y\": 1}"));
        }
        ingestor.ingest(batch);

        // only the reload after the commit can show them: the refresh skips this instance's own changes
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(),
                missingFromSnapshot(sources), "sources of the batch not in the snapshot"));
    }

    private List<String> missingFromSnapshot(int sources) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            String source = source(i);
            String x = "\"x\":" + i + ",";
            if (latest.of(source).map(String::new).filter(json -> json.contains(x)).isEmpty()) {
                missing.add(source);
            }
        }
        return missing;
    }

    private static String source(int i) {
        return String.format("in-reads-%04d", i);
    }
}
