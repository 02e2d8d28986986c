package dev.posflow.ingest.incarnations;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.ingest.incarnations.KafkaIds.TopicIdentity;
import dev.posflow.store.write.IncarnationStore;
import dev.posflow.store.schema.KafkaIncarnation;

/**
 * Which incarnation of each topic ingest is writing: decided when partitions are assigned, and again when a batch shows
 * that the consumer was moved under ingest's feet. A new cluster id or topic id, or a log that ends below what posflow
 * stored, begins a new incarnation: its records are new rows, never mistaken for the old ones.
 */
@ApplicationScoped
public class Incarnations {

    /** What changed, if anything, as the reason tag of posflow_ingest_incarnations_total. */
    enum Change {
        NONE(null), FIRST(null), ADOPTED(null),
        TOPIC_RECREATED("topic-recreated"), CLUSTER_CHANGED("cluster-changed"), LOG_TRUNCATED("log-truncated");

        final String tag;

        Change(String tag) {
            this.tag = tag;
        }

        /** Why an incarnation replaced another, as the WARN lines say it. */
        String why(Long oldMark, Long logEnd) {
            return switch (this) {
                case CLUSTER_CHANGED -> "the topic is served by another Kafka cluster";
                case TOPIC_RECREATED -> "the topic was deleted and created again";
                case LOG_TRUNCATED -> "the partition's log ends at offset " + logEnd + ", below the stored mark "
                        + oldMark + " (the topic was created again, or the log truncated)";
                default -> toString();
            };
        }
    }

    /** The incarnation now written, and the one it replaced, if it replaced one. */
    record Resolution(KafkaIncarnation now, Optional<KafkaIncarnation> replaced, Change change) {
    }

    private final IncarnationStore store;
    private final Map<String, KafkaIncarnation> current = new ConcurrentHashMap<>();

    Incarnations(IncarnationStore store) {
        this.store = store;
    }

    /**
     * The incarnation a topic's records are stored under now. A topic never assigned to this instance (records handed
     * to ingest directly) is in its newest stored incarnation, or 0.
     */
    int current(String topic) {
        KafkaIncarnation known = current.get(topic);
        if (known != null) {
            return known.number();
        }
        return store.latest(topic).map(KafkaIncarnation::number).orElse(0);
    }

    Optional<KafkaIncarnation> known(String topic) {
        return Optional.ofNullable(current.get(topic));
    }

    /**
     * Decides the incarnation of a topic as Kafka serves it now.
     *
     * @param logEndsBelowMarks whether Kafka's log of some partition ends below what MySQL stored of that incarnation
     */
    Resolution resolve(String topic, TopicIdentity ids, Predicate<KafkaIncarnation> logEndsBelowMarks) {
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Resolution resolution = resolveOnce(topic, ids, logEndsBelowMarks);
                current.put(topic, resolution.now());
                return resolution;
            } catch (IllegalStateException e) {
                // another instance recorded the incarnation after the one read first: read it on the next attempt
                failure = e;
            }
        }
        throw failure;
    }

    private Resolution resolveOnce(String topic, TopicIdentity ids, Predicate<KafkaIncarnation> logEndsBelowMarks) {
        Optional<KafkaIncarnation> stored = store.latest(topic);
        if (stored.isEmpty()) {
            return new Resolution(store.begin(topic, 0, ids.clusterId(), ids.topicId()), Optional.empty(),
                    Change.FIRST);
        }
        KafkaIncarnation latest = stored.get();
        boolean truncated = logEndsBelowMarks.test(latest);
        if (latest.unknown() && !truncated) {
            return new Resolution(store.adopt(latest, ids.clusterId(), ids.topicId()), Optional.empty(),
                    Change.ADOPTED);
        }
        if (latest.is(ids.clusterId(), ids.topicId()) && !truncated) {
            return new Resolution(latest, Optional.empty(), Change.NONE);
        }
        Change change;
        if (latest.unknown()) {
            change = Change.TOPIC_RECREATED;
        } else if (!latest.clusterId().orElseThrow().equals(ids.clusterId())) {
            change = Change.CLUSTER_CHANGED;
        } else if (!latest.topicId().orElseThrow().equals(ids.topicId())) {
            change = Change.TOPIC_RECREATED;
        } else {
            change = Change.LOG_TRUNCATED;
        }
        return new Resolution(store.begin(topic, latest.number() + 1, ids.clusterId(), ids.topicId()), stored,
                change);
    }
}
