package dev.posflow.ingest.incarnations;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.posflow.ingest.incarnations.ExpectedOffsets.Expected;
import dev.posflow.ingest.incarnations.Incarnations.Resolution;
import dev.posflow.ingest.incarnations.KafkaIds.TopicIdentity;
import dev.posflow.store.schema.KafkaIncarnation;

/**
 * Notices, batch by batch, when the consumer did not continue where ingest left each partition, which the connector
 * never reports: with auto.offset.reset=earliest, a consumer whose position vanished (the topic deleted and created
 * again while posflow runs, so its offsets restart) is silently put back to the log start, and one that fell behind
 * retention is silently moved forward. Either way this says so in a WARN line, counts what Kafka deleted, and makes a
 * new incarnation of a recreated topic a stream of its own, so that its records are stored and not taken for the old
 * rows at the same offsets.
 * <p>
 * Written by hand: neither SmallRye nor the Kafka consumer has a hook for an offset reset. The check costs a map
 * lookup per partition per batch; Kafka is asked only when something does not line up.
 */
@ApplicationScoped
public class OffsetWatch {

    private static final Logger LOG = Logger.getLogger(OffsetWatch.class);
    private static final Duration IDENTIFY_WITHIN = Duration.ofSeconds(10);

    private final ExpectedOffsets expected;
    private final KafkaIds kafkaIds;
    private final Incarnations incarnations;
    private final SkippedRecords skipped;
    private final Replay replay;

    OffsetWatch(ExpectedOffsets expected, KafkaIds kafkaIds, Incarnations incarnations, SkippedRecords skipped,
            Replay replay) {
        this.expected = expected;
        this.kafkaIds = kafkaIds;
        this.incarnations = incarnations;
        this.skipped = skipped;
        this.replay = replay;
    }

    /**
     * Checks where the batch starts on each partition against where ingest left it, and says in which incarnation of
     * each topic its records are to be stored.
     */
    public Map<String, Integer> check(List<? extends ConsumerRecord<?, ?>> records) {
        Map<TopicPartition, Long> firsts = new LinkedHashMap<>();
        ConsumerRecord<?, ?> previous = null;
        for (ConsumerRecord<?, ?> record : records) {
            // a poll's records come partition by partition: one lookup per partition, not per record
            if (previous == null || previous.partition() != record.partition()
                    || !previous.topic().equals(record.topic())) {
                firsts.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
            }
            previous = record;
        }
        firsts.forEach((partition, first) -> {
            Expected next = expected.next(partition);
            if (next == null) {
                return;
            }
            if (first < next.offset()) {
                wentBack(partition, next, first);
            } else if (first > next.offset()) {
                wentForward(partition, next, first);
            } else if (next.incarnation() != incarnations.current(partition.topic())) {
                keptPositionInNewIncarnation(partition, next, first);
            }
        });
        Map<String, Integer> incarnationOf = new HashMap<>();
        for (TopicPartition partition : firsts.keySet()) {
            incarnationOf.computeIfAbsent(partition.topic(), incarnations::current);
        }
        return incarnationOf;
    }

    private void wentBack(TopicPartition partition, Expected next, long first) {
        if (expected.replayStartsAt(partition, first)) {
            LOG.infof("%s: replaying from offset %d (ingest was at %d); records already stored are skipped",
                    partition, first, next.offset());
            return;
        }
        Optional<KafkaIncarnation> known = incarnations.known(partition.topic());
        // a topic never assigned here (records handed to ingest directly) has no incarnation to compare with
        Optional<TopicIdentity> ids = known.isPresent() ? identifyNow(partition, next, first) : Optional.empty();
        String why = "";
        if (ids.isPresent() && !known.get().is(ids.get().clusterId(), ids.get().topicId())) {
            Resolution resolution = incarnations.resolve(partition.topic(), ids.get(), stored -> false);
            if (resolution.replaced().isPresent()) {
                skipped.newIncarnation(resolution.change().tag);
                why = resolution.change().why(null, null) + "; ";
            }
        }
        int now = incarnations.current(partition.topic());
        if (now != next.incarnation()) {
            long deleted = Math.min(first, logStart(partition));
            LOG.warnf("%s: while ingesting, the consumer went back from offset %d to %d: incarnation %s replaces %s"
                    + " (%sthe consumer reset to the log start). Rows of #%d are kept; the new incarnation is"
                    + " stored as new records from offset %d%s", partition, next.offset(), first,
                    incarnations.known(partition.topic()).map(KafkaIncarnation::toString).orElse("#" + now),
                    known.map(KafkaIncarnation::toString).orElse("#" + next.incarnation()), why, next.incarnation(),
                    first, deleted > 0 ? "; its offsets 0.." + (deleted - 1) + " (" + deleted
                            + " records) were deleted by Kafka before posflow read them, skipped" : "");
            if (deleted > 0) {
                skipped.add(SkippedRecords.RETENTION, deleted);
            }
        } else {
            LOG.warnf("%s (incarnation #%d): the consumer went back from offset %d to %d%s; records already stored"
                    + " are skipped by the unique key", partition, now, next.offset(), first,
                    ids.isPresent() ? ", with the same topic id and cluster" : "");
        }
    }

    /**
     * The topic's ids as Kafka has them now. Records of the topic are in hand, so it exists: should a broker not
     * know it yet (its metadata trails a topic just created), ask again for a few seconds, then fail the batch,
     * which is retried; never store records whose incarnation is unclear.
     */
    private Optional<TopicIdentity> identifyNow(TopicPartition partition, Expected next, long first) {
        long deadline = System.nanoTime() + IDENTIFY_WITHIN.toNanos();
        while (true) {
            Optional<TopicIdentity> ids = kafkaIds.identify(partition.topic());
            if (ids.isPresent()) {
                return ids;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(partition + ": the consumer went back from offset " + next.offset()
                        + " to " + first + ", and Kafka does not describe the topic; the batch is retried");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void wentForward(TopicPartition partition, Expected next, long first) {
        if (next.incarnation() != incarnations.current(partition.topic())) {
            keptPositionInNewIncarnation(partition, next, first);
            return;
        }
        long logStart = logStart(partition);
        long deleted = Math.min(logStart, first) - next.offset();
        if (deleted > 0) {
            LOG.warnf("%s (incarnation #%d): offsets %d..%d (%d records) were deleted by Kafka (log start offset %d)"
                    + " before posflow read them; skipped", partition, next.incarnation(), next.offset(),
                    next.offset() + deleted - 1, deleted, logStart);
            skipped.add(SkippedRecords.RETENTION, deleted);
        } else {
            // offsets that hold no record for a consumer: transaction markers, compacted records
            LOG.debugf("%s: offsets %d..%d hold no record", partition, next.offset(), first - 1);
        }
    }

    /**
     * The topic's incarnation changed (another partition's reset showed it), yet the consumer went on from its old
     * position in the new one: the offsets before it are read again, from the new incarnation's beginning.
     */
    private void keptPositionInNewIncarnation(TopicPartition partition, Expected next, long first) {
        long logStart = logStart(partition);
        if (first <= logStart) {
            return;
        }
        try {
            replay.from(partition.topic(), partition.partition(), logStart);
            LOG.warnf("%s: incarnation #%d replaced #%d, but the consumer went on at offset %d; reading the new"
                    + " incarnation's offsets %d..%d again from its beginning", partition,
                    incarnations.current(partition.topic()), next.incarnation(), first, logStart, first - 1);
        } catch (RuntimeException e) {
            LOG.warnf("%s: incarnation #%d replaced #%d, but the consumer went on at offset %d: the new incarnation's"
                    + " offsets %d..%d were not read (%s); POST /admin/replay {\"topic\": \"%s\", \"partition\":"
                    + " %d, \"from\": %d} reads them", partition, incarnations.current(partition.topic()),
                    next.incarnation(), first, logStart, first - 1, e.getMessage(), partition.topic(),
                    partition.partition(), logStart);
            skipped.add(SkippedRecords.UNREAD, first - logStart);
        }
    }

    private long logStart(TopicPartition partition) {
        return kafkaIds.logStartOffsets(List.of(partition)).getOrDefault(partition, 0L);
    }
}
