package dev.posflow.store;

import java.util.Comparator;

/** A Kafka topic partition, as the store keeps track of it. */
public record Partition(String topic, int partition) {

    public static final Comparator<Partition> ORDER = Comparator.comparing(Partition::topic)
            .thenComparingInt(Partition::partition);
}
