package dev.posflow.store.write;

import java.util.Comparator;

/** A Kafka topic partition, in one incarnation of its topic, as the store keeps track of it. */
public record Partition(String topic, int partition, int incarnation) {

    /** The order of ingest_offsets' primary key. */
    public static final Comparator<Partition> ORDER = Comparator.comparing(Partition::topic)
            .thenComparingInt(Partition::incarnation).thenComparingInt(Partition::partition);
}
