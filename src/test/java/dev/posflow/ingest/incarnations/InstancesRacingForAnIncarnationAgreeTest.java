package dev.posflow.ingest.incarnations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.ingest.incarnations.Incarnations.Change;
import dev.posflow.ingest.incarnations.Incarnations.Resolution;
import dev.posflow.ingest.incarnations.KafkaIds.TopicIdentity;
import dev.posflow.store.schema.KafkaIncarnation;
import dev.posflow.store.write.IncarnationStore;
import dev.posflow.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two instances assigned partitions of one topic at once both read the newest incarnation, then one records the next
 * and commits before the other records its own. The other must end in the same incarnation, not begin one more with
 * the same ids: two numbers for one topic are two streams, and an instance taking over the other's partitions would
 * read them again from their start (FaultSuiteIT's two instances stored 11,239 records twice so, in a CI run).
 */
@QuarkusTest
class InstancesRacingForAnIncarnationAgreeTest {

    private static final TopicIdentity IDS = new TopicIdentity("cluster-race", "topic-race");

    @Inject
    IncarnationStore store;

    @Test
    void anInstanceThatSawNoIncarnationBeforeAnotherBeganTheFirstTakesThatOne() {
        String topic = "race-first-" + UUID.randomUUID();

        Resolution resolution = new Incarnations(readBeforeAnotherInstanceBegins(IDS)).resolve(topic, IDS,
                stored -> false);

        assertEquals(0, resolution.now().number());
        assertEquals(1L, Rows.count("select count(*) from kafka_incarnations where kafka_topic = ?", topic));
    }

    @Test
    void anInstanceThatSawTheOldIncarnationOfARecreatedTopicTakesTheNewOneAnotherBegan() {
        String topic = "race-recreated-" + UUID.randomUUID();
        store.begin(topic, 0, IDS.clusterId(), "topic-before");

        Resolution resolution = new Incarnations(readBeforeAnotherInstanceBegins(IDS)).resolve(topic, IDS,
                stored -> false);

        assertEquals(1, resolution.now().number());
        assertEquals(Change.NONE, resolution.change(), "the other instance replaced #0; this one only joins #1");
        assertEquals(2L, Rows.count("select count(*) from kafka_incarnations where kafka_topic = ?", topic));
    }

    /**
     * This instance's store, whose first read of the newest incarnation was taken just before another instance
     * recorded the next one (with the same ids, for the same topic) and committed.
     */
    private IncarnationStore readBeforeAnotherInstanceBegins(TopicIdentity ids) {
        AtomicBoolean first = new AtomicBoolean(true);
        return new IncarnationStore() {
            @Override
            public Optional<KafkaIncarnation> latest(String topic) {
                Optional<KafkaIncarnation> read = store.latest(topic);
                if (first.getAndSet(false)) {
                    store.begin(topic, read.map(seen -> seen.number() + 1).orElse(0), ids.clusterId(),
                            ids.topicId());
                }
                return read;
            }

            @Override
            public KafkaIncarnation begin(String topic, int number, String clusterId, String topicId) {
                return store.begin(topic, number, clusterId, topicId);
            }

            @Override
            public KafkaIncarnation adopt(KafkaIncarnation unknown, String clusterId, String topicId) {
                return store.adopt(unknown, clusterId, topicId);
            }
        };
    }
}
