package dev.posflow.ingest.incarnations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.posflow.store.write.Partition;

/**
 * After LostCommits sent the consumer back to MySQL's mark, the batches polled before the seek still arrive (the
 * connector queues a few polls): their records of that partition must not be stored, or the mark would rise over the
 * records read again; the first batch from the mark ends that. Other partitions pass untouched.
 */
class RewoundPartitionDropsStaleRecordsTest {

    private final ExpectedOffsets watch = new ExpectedOffsets();
    private final TopicPartition rewound = new TopicPartition("t", 0);

    @Test
    void recordsPolledBeforeTheSeekAreDroppedUntilTheRecordsFromTheMarkArrive() {
        watch.rewound(rewound, 25, 0, 40);

        List<ConsumerRecord<String, String>> stale = Stream.concat(records(0, 60, 5).stream(),
                records(1, 7, 3).stream()).toList();
        List<ConsumerRecord<String, String>> kept = watch.withoutStale(stale);
        assertEquals(records(1, 7, 3).stream().map(ConsumerRecord::offset).toList(),
                kept.stream().map(ConsumerRecord::offset).toList(), "partition 1 only");

        List<ConsumerRecord<String, String>> fresh = records(0, 25, 10);
        assertEquals(fresh, watch.withoutStale(fresh));
        // the re-read arrived: later records of the partition are stored as usual
        List<ConsumerRecord<String, String>> next = records(0, 35, 10);
        assertEquals(next, watch.withoutStale(next));
    }

    @Test
    void ingestExpectsThePartitionAtTheMarkAfterARewind() {
        watch.rewound(rewound, 25, 3, 40);
        assertEquals(Map.of(new Partition("t", 0, 3), 25L),
                watch.committedBelow(Map.of(new Partition("t", 0, 3), 40L)), "the mark, below the batch's start");
        assertEquals(Map.of(), watch.committedBelow(Map.of(new Partition("t", 0, 4), 0L)), "another incarnation");
    }

    private static List<ConsumerRecord<String, String>> records(int partition, long from, int count) {
        return LongStream.range(from, from + count)
                .mapToObj(offset -> new ConsumerRecord<String, String>("t", partition, offset, null, "v")).toList();
    }
}
