package dev.posflow.store.schema;

import java.util.Optional;

/**
 * One incarnation of a topic: the topic's name on one cluster with one topic id. Offsets restart with each. Number 0
 * of a topic stored before posflow knew incarnations has no ids until the first start adopts the current ones.
 */
public record KafkaIncarnation(String topic, int number, Optional<String> clusterId, Optional<String> topicId) {

    public boolean is(String cluster, String topicIdentifier) {
        return clusterId.filter(cluster::equals).isPresent() && topicId.filter(topicIdentifier::equals).isPresent();
    }

    /** Ids not learnt yet: rows and marks stored before the upgrade that introduced incarnations. */
    public boolean unknown() {
        return clusterId.isEmpty() && topicId.isEmpty();
    }

    @Override
    public String toString() {
        return "#" + number + " (" + (unknown() ? "ids unknown"
                : "cluster " + clusterId.orElse("?") + ", topic id " + topicId.orElse("?")) + ")";
    }
}
