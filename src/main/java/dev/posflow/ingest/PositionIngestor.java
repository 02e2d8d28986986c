package dev.posflow.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.posflow.store.write.IncomingPosition;
import dev.posflow.store.write.IngestWriter;
import dev.posflow.store.write.KafkaCoordinates;
import dev.posflow.store.write.MarksBehind;
import dev.posflow.store.write.Partition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import dev.posflow.ingest.incarnations.ExpectedOffsets;
import dev.posflow.ingest.incarnations.OffsetWatch;
import dev.posflow.ingest.incarnations.LostCommits;

/**
 * Stores each polled batch of the ingest topics: poison records to the dead-letter topic first, then the rows and
 * every partition's next offset in one MySQL transaction. Ingest ends at the commit: who shows what was stored (the
 * latest snapshot, the live feed) observes the writer's {@link dev.posflow.store.write.PositionsStored} event.
 * <p>
 * Any failure (database or broker down, a deadlock) retries the whole batch with backoff, for ever: the batch is not
 * acknowledged meanwhile, the connector stops fetching once its queue is full, and nothing is skipped. Retrying is
 * harmless, as the unique Kafka key of the rows makes a second write of a record a no-op.
 */
@ApplicationScoped
public class PositionIngestor {

    private static final Logger LOG = Logger.getLogger(PositionIngestor.class);

    private final RecordDecoder decoder;
    private final IngestWriter writer;
    private final DeadLetterPublisher deadLetters;
    private final OffsetWatch watch;
    private final ExpectedOffsets expected;
    private final LostCommits lostCommits;
    private final Counter stored;
    private final Counter deadLettered;
    private final Timer write;

    PositionIngestor(RecordDecoder decoder, IngestWriter writer, DeadLetterPublisher deadLetters, OffsetWatch watch,
            ExpectedOffsets expected, LostCommits lostCommits, MeterRegistry registry) {
        this.decoder = decoder;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.watch = watch;
        this.expected = expected;
        this.lostCommits = lostCommits;
        this.stored = Counter.builder("posflow.ingest.records").tag("outcome", "stored")
                .description("Records ingested as rows (redeliveries included)").register(registry);
        this.deadLettered = Counter.builder("posflow.ingest.records").tag("outcome", "dead-lettered")
                .description("Records sent to the dead-letter topic").register(registry);
        this.write = Timer.builder("posflow.ingest.batch.write")
                .description("Writing one batch to MySQL, its transaction included (failed attempts too)")
                .register(registry);
    }

    @Incoming("positions-in")
    @Blocking
    @Retry(maxRetries = -1, delay = 200, maxDuration = 0, jitter = 100)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void ingest(ConsumerRecords<String, DecodedValue> batch) throws SQLException, InterruptedException {
        List<ConsumerRecord<String, DecodedValue>> records = new ArrayList<>(batch.count());
        batch.forEach(records::add);
        try {
            store(records);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Storing a batch of %d records failed, will retry: %s", records.size(), e.toString());
            throw e;
        }
    }

    /**
     * One batch of records whose values are text, in partition order, decoded here as the consumer decodes them;
     * public for tests that replay records as a redelivery would.
     */
    public void ingest(List<ConsumerRecord<String, String>> records) throws SQLException, InterruptedException {
        List<ConsumerRecord<String, DecodedValue>> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            byte[] value = record.value() == null ? null : record.value().getBytes(StandardCharsets.UTF_8);
            decoded.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                    record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(),
                    decoder.decodeValue(value), record.headers(), record.leaderEpoch()));
        }
        store(decoded);
    }

    private void store(List<ConsumerRecord<String, DecodedValue>> polled) throws SQLException, InterruptedException {
        // from the stale-record filter to the write: a check that sends a partition back in between would otherwise
        // let this batch store records from where the partition was, over the rewound range
        Lock exclusive = lostCommits.exclusive();
        exclusive.lockInterruptibly();
        try {
            storeExclusively(polled);
        } finally {
            exclusive.unlock();
        }
    }

    private void storeExclusively(List<ConsumerRecord<String, DecodedValue>> polled)
            throws SQLException, InterruptedException {
        List<ConsumerRecord<String, DecodedValue>> records = expected.withoutStale(polled);
        if (records.isEmpty()) {
            return;
        }
        List<IncomingPosition> positions = new ArrayList<>(records.size());
        List<DeadLetter> poison = new ArrayList<>();
        Map<Partition, Long> nextOffsets = new HashMap<>();
        Map<Partition, Long> firsts = new HashMap<>();
        // which incarnation of its topic each record belongs to; says so if the consumer did not go on where it was
        Map<String, Integer> incarnations = watch.check(records);
        // a batch holds its partitions' records one partition after another: the bounds are merged once per run
        Partition partition = null;
        long first = 0;
        long next = 0;
        for (ConsumerRecord<String, DecodedValue> record : records) {
            if (partition == null || record.partition() != partition.partition()
                    || !record.topic().equals(partition.topic())) {
                if (partition != null) {
                    nextOffsets.merge(partition, next, Math::max);
                    firsts.merge(partition, first, Math::min);
                }
                partition = new Partition(record.topic(), record.partition(), incarnations.get(record.topic()));
                first = record.offset();
                next = record.offset() + 1;
            }
            first = Math.min(first, record.offset());
            next = Math.max(next, record.offset() + 1);
            DecodedValue value = decoder.withSource(record);
            if (value.poison().isPresent()) {
                poison.add(new DeadLetter(record, value.poison().get()));
            } else {
                positions.add(new IncomingPosition(value.sample(), new KafkaCoordinates(record.topic(),
                        record.partition(), record.offset(), partition.incarnation())));
            }
        }
        if (partition != null) {
            nextOffsets.merge(partition, next, Math::max);
            firsts.merge(partition, first, Math::min);
        }
        // the letters are safe before their offsets commit: a crash in between re-sends them, never loses them
        int lettered = deadLetters.publish(poison);
        Timer.Sample started = Timer.start();
        // MySQL must hold everything this instance committed; where it does not, the database went back in time
        Map<Partition, Long> committed = expected.committedBelow(firsts);
        try {
            while (true) {
                try {
                    writer.write(positions, nextOffsets, committed);
                    break;
                } catch (MarksBehind behind) {
                    Set<Partition> readAgain = lostCommits.readAgain(behind.marks(), committed, firsts);
                    positions = positions.stream().filter(p -> !readAgain.contains(new Partition(p.record().topic(),
                            p.record().partition(), p.record().incarnation()))).toList();
                    nextOffsets = new HashMap<>(nextOffsets);
                    nextOffsets.keySet().removeAll(readAgain);
                    // each partition behind is handled once: dropped and read again, or its mark raised to the
                    // log start where Kafka deleted what the database lost
                    committed = new HashMap<>(committed);
                    committed.keySet().removeAll(behind.marks().keySet());
                }
            }
        } finally {
            started.stop(write);
        }
        expected.stored(nextOffsets);
        stored.increment(positions.size());
        deadLettered.increment(lettered);
    }
}
