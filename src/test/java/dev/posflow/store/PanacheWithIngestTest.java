package dev.posflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.sample.Sample;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.posflow.store.write.IncarnationStore;
import dev.posflow.store.write.IncomingPosition;
import dev.posflow.store.schema.IngestOffset;
import dev.posflow.store.write.IngestWriter;
import dev.posflow.store.write.KafkaCoordinates;
import dev.posflow.store.schema.KafkaIncarnation;
import dev.posflow.store.schema.LatestPosition;
import dev.posflow.store.write.OffsetStore;
import dev.posflow.store.write.Partition;
import dev.posflow.store.schema.Position;
import dev.posflow.store.schema.TopicIncarnation;

/**
 * A user's own Panache code and posflow's plain-JDBC ingest write run in one JTA transaction, on one connection: the
 * entities see the batch's uncommitted rows and offsets, and a failure after the batch undoes both. Also the stores
 * that went to Panache read and write their tables as before.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PanacheWithIngestTest {

    private static final Instant T0 = Instant.parse("2024-02-29T23:59:59.999999Z");

    @Inject
    IngestWriter writer;

    @Inject
    OffsetStore offsets;

    @Inject
    IncarnationStore incarnations;

    private static List<IncomingPosition> batch(String source, String topic, int rows) {
        List<IncomingPosition> positions = new ArrayList<>();
        for (long offset = 0; offset < rows; offset++) {
            positions.add(new IncomingPosition(new Sample(Optional.of(source), T0.minusSeconds(offset), 1, 2),
                    new KafkaCoordinates(topic, 0, offset, 0)));
        }
        return positions;
    }

    @Test
    void panacheInTheSameTransactionSeesTheBatchAndCommitsWithIt() {
        String topic = "panache-commit";
        QuarkusTransaction.requiringNew().run(() -> {
            try {
                writer.write(batch("panache-commit", topic, 5), Map.of(new Partition(topic, 0, 0), 5L));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // uncommitted: visible only on the connection the batch was written on
            assertEquals(5, Position.count("kafka.topic", topic));
            assertEquals(5L, IngestOffset.<IngestOffset> findById(new IngestOffset.Key(topic, 0, 0)).nextOffset);
            LatestPosition latest = LatestPosition.findById("panache-commit");
            assertEquals(5, latest.rowCount);
            assertEquals(T0, latest.sampledAt);
            assertEquals(T0.minusSeconds(4), latest.firstSampledAt);
            // a user's own entity write beside it
            TopicIncarnation mine = new TopicIncarnation();
            mine.topic = topic;
            mine.number = 0;
            mine.firstSeen = T0;
            mine.persist();
        });
        assertEquals(5, Rows.count("select count(*) from positions where kafka_topic = ?", topic));
        assertEquals(1, Rows.count("select count(*) from kafka_incarnations where kafka_topic = ?", topic));
        assertEquals(Map.of(0, 5L), offsets.nextOffsets(topic, 0, List.of(0, 1)));
    }

    @Test
    void aFailureOfTheCallerAfterTheBatchUndoesTheRowsTheOffsetsAndItsOwnEntities() {
        String topic = "panache-rollback";
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            try {
                writer.write(batch("panache-rollback", topic, 3), Map.of(new Partition(topic, 0, 0), 3L));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            TopicIncarnation mine = new TopicIncarnation();
            mine.topic = topic;
            mine.number = 0;
            mine.firstSeen = T0;
            mine.persist();
            throw new IllegalStateException("the caller fails after the batch");
        }));
        assertEquals(0, Rows.count("select count(*) from positions where kafka_topic = ?", topic));
        assertEquals(0, Rows.count("select count(*) from latest_positions where source = ?", "panache-rollback"));
        assertEquals(0, Rows.count("select count(*) from ingest_offsets where kafka_topic = ?", topic));
        assertEquals(0, Rows.count("select count(*) from kafka_incarnations where kafka_topic = ?", topic));
    }

    @Test
    void incarnationsAreNumberedAdoptedAndReadThroughTheirEntity() {
        String topic = "panache-incarnations";
        assertEquals(Optional.empty(), incarnations.latest(topic));
        KafkaIncarnation first = incarnations.begin(topic, 0, "cluster-a", "topic-1");
        assertEquals(new KafkaIncarnation(topic, 0, Optional.of("cluster-a"), Optional.of("topic-1")), first);
        KafkaIncarnation second = incarnations.begin(topic, 1, "cluster-a", "topic-2");
        assertEquals(1, second.number());
        // another instance that also read #0 as the newest, and begins #1 too: it collides, and reads #1 instead
        assertThrows(IllegalStateException.class, () -> incarnations.begin(topic, 1, "cluster-a", "topic-2"));
        assertEquals(Optional.of(second), incarnations.latest(topic));

        // a topic stored before posflow knew incarnations: number 0, ids unknown, adopted once
        String old = "panache-unknown";
        Rows.update("insert into kafka_incarnations (kafka_topic, incarnation, first_seen)"
                + " values (?, 0, utc_timestamp(6))", old);
        KafkaIncarnation unknown = incarnations.latest(old).orElseThrow();
        assertTrue(unknown.unknown());
        assertEquals(Optional.of("cluster-b"), incarnations.adopt(unknown, "cluster-b", "topic-3").clusterId());
        // adopted already: the first ids stand
        assertEquals(Optional.of("topic-3"), incarnations.adopt(unknown, "cluster-c", "topic-4").topicId());
    }

    @Test
    void offsetsAreReadThroughTheirEntityAndNeverRaisedBackwards() {
        String topic = "panache-offsets";
        offsets.raise(Map.of(new Partition(topic, 0, 7), 10L, new Partition(topic, 1, 7), 20L));
        offsets.raise(Map.of(new Partition(topic, 0, 7), 5L));
        assertEquals(Map.of(0, 10L, 1, 20L), offsets.nextOffsets(topic, 7, List.of(0, 1, 2)));
        assertEquals(Map.of(), offsets.nextOffsets(topic, 8, List.of(0, 1)));
    }
}
