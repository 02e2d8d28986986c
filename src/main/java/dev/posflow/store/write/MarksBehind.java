package dev.posflow.store.write;

import java.util.Map;

/**
 * MySQL's marks of some partitions are below what this instance already committed there: the database went back in
 * time (a failover to a replica that lacked the last commits). Thrown inside the batch's transaction before anything
 * is written, so it rolls back; the caller reads those partitions again from the marks.
 */
public class MarksBehind extends RuntimeException {

    private final Map<Partition, Long> marks;

    MarksBehind(Map<Partition, Long> marks) {
        super("MySQL's marks " + marks + " are below what ingest committed", null, false, false);
        this.marks = Map.copyOf(marks);
    }

    /** Per partition behind, the mark MySQL has. */
    public Map<Partition, Long> marks() {
        return marks;
    }
}
