package dev.posflow.ingest.incarnations;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * Reads a partition again from an offset, on an operator's request: the ingest consumer is sent back there (on its
 * polling thread, through the connector), and ingest goes on through everything up to where it was and beyond.
 * Records already stored are skipped by the unique key; only what is missing (rows deleted by hand, records the
 * consumer passed over) is stored. MySQL's mark never moves back, so after a crash mid-replay ingest resumes where it
 * was before the replay.
 */
@ApplicationScoped
public class Replay {

    private static final Logger LOG = Logger.getLogger(Replay.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What was asked, and up to which offset records are read again (the consumer's position at the request). */
    public record Started(String topic, int partition, int incarnation, long from, long until) {
    }

    /** Why a replay cannot start; the message says it to the operator. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final KafkaClientService clients;
    private final ExpectedOffsets expected;
    private final Incarnations incarnations;

    Replay(KafkaClientService clients, ExpectedOffsets expected, Incarnations incarnations) {
        this.clients = clients;
        this.expected = expected;
        this.incarnations = incarnations;
    }

    /**
     * Sends the consumer back to {@code to} on a partition, without an operator's request (see {@link LostCommits});
     * false if this instance no longer consumes the partition (its new owner resumes from MySQL's mark).
     */
    boolean rewind(TopicPartition target, long to) {
        KafkaConsumer<String, byte[]> consumer = clients.getConsumer("positions-in");
        if (consumer == null) {
            return false;
        }
        return consumer.runOnPollingThread(kafka -> {
            if (!kafka.assignment().contains(target)) {
                return false;
            }
            kafka.seek(target, to);
            return true;
        }).await().atMost(TIMEOUT);
    }

    public Started from(String topic, int partition, long from) {
        KafkaConsumer<String, byte[]> consumer = clients.getConsumer("positions-in");
        if (consumer == null) {
            throw new Refused("ingest has no consumer running");
        }
        TopicPartition target = new TopicPartition(topic, partition);
        Started started = consumer.runOnPollingThread(kafka -> {
            Set<TopicPartition> assigned = kafka.assignment();
            if (!assigned.contains(target)) {
                throw new Refused(target + " is not assigned to this instance (it ingests " + assigned
                        + "); ask the instance that ingests it");
            }
            long logStart = kafka.beginningOffsets(List.of(target)).get(target);
            if (from < logStart) {
                throw new Refused("Kafka holds " + target + " from offset " + logStart + " on; offsets below were"
                        + " deleted");
            }
            long position = kafka.position(target);
            if (from < position) {
                expected.replayFrom(target, from);
                kafka.seek(target, from);
            }
            return new Started(topic, partition, incarnations.current(topic), from, Math.max(from, position));
        }).await().atMost(TIMEOUT);
        LOG.infof("Replay of %s-%d requested: offsets %d..%d read again", topic, partition, started.from(),
                started.until() - 1);
        return started;
    }
}
