package dev.posflow.store.write;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Sort;
import dev.posflow.store.schema.KafkaIncarnation;
import dev.posflow.store.schema.TopicIncarnation;

/**
 * The kafka_incarnations table, through its Panache entity {@link TopicIncarnation}: which cluster id and topic id
 * each numbered incarnation of a topic is. A few rows, read when partitions are assigned: nothing here is a hot path.
 */
@ApplicationScoped
public class IncarnationStore {

    /** The newest incarnation of the topic, the one ingest writes to; empty for a topic never ingested. */
    @Transactional
    public Optional<KafkaIncarnation> latest(String topic) {
        return TopicIncarnation.<TopicIncarnation> find("topic", Sort.descending("number"), topic)
                .firstResultOptional().map(TopicIncarnation::value);
    }

    /**
     * Records incarnation {@code number} of the topic: the one after the newest the caller read (0 for a topic never
     * seen). The caller names the number rather than this taking the newest + 1: two instances that both read "none"
     * (or both read #n) must collide on the primary key, the loser failing (IllegalStateException) and reading what
     * the winner wrote. Had the loser counted again here, after the winner's commit, it would record #n+1 under the
     * very same ids, and the two instances would store one topic as two streams (FaultSuiteIT's two instances did: the
     * survivor read the killed one's partitions again from their start, under its own number).
     */
    @Transactional
    public KafkaIncarnation begin(String topic, int number, String clusterId, String topicId) {
        TopicIncarnation next = new TopicIncarnation();
        next.topic = topic;
        next.number = number;
        next.clusterId = clusterId;
        next.topicId = topicId;
        next.firstSeen = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            // now rather than at commit, so that a collision is this method's failure
            next.persistAndFlush();
        } catch (PersistenceException e) {
            throw new IllegalStateException("Could not record incarnation #" + number + " of " + topic, e);
        }
        return next.value();
    }

    /** Gives an incarnation whose ids were unknown (stored before posflow knew them) the current ids. */
    @Transactional
    public KafkaIncarnation adopt(KafkaIncarnation unknown, String clusterId, String topicId) {
        // one statement (MariaDB refuses the FOR UPDATE OF that a locking find writes); another instance may have
        // adopted it first: its ids stand
        TopicIncarnation.update("clusterId = ?1, topicId = ?2 where topic = ?3 and number = ?4"
                + " and clusterId is null and topicId is null", clusterId, topicId, unknown.topic(), unknown.number());
        return latest(unknown.topic()).orElseThrow();
    }
}
