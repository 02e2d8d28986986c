package dev.posflow.ingest;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.posflow.store.KafkaCoordinates;
import dev.posflow.store.PositionWriter;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * Stores every record of the ingest topics as one row.
 * <p>
 * A record that can never be stored fails with {@link PoisonRecordException} and goes to the dead-letter topic. Any
 * other failure (the database is down, a deadlock) is retried here with backoff, for ever, before the record is
 * acknowledged: the consumer stops pulling meanwhile, and nothing is skipped. Retrying is safe because
 * {@link PositionWriter#storeOnce} recognises a record it stored already.
 */
@ApplicationScoped
public class PositionIngestor {

    private static final Logger LOG = Logger.getLogger(PositionIngestor.class);

    private final RecordDecoder decoder;
    private final PositionWriter writer;

    PositionIngestor(RecordDecoder decoder, PositionWriter writer) {
        this.decoder = decoder;
        this.writer = writer;
    }

    @Incoming("positions-in")
    @Blocking
    @Retry(maxRetries = -1, delay = 200, maxDuration = 0, jitter = 100, abortOn = PoisonRecordException.class)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public void ingest(ConsumerRecord<String, String> record) throws PoisonRecordException {
        try {
            writer.storeOnce(decoder.decode(record),
                    new KafkaCoordinates(record.topic(), record.partition(), record.offset()));
        } catch (PoisonRecordException e) {
            LOG.debugf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("Storing %s-%d@%d failed, will retry: %s", record.topic(), record.partition(), record.offset(),
                    e.toString());
            throw e;
        }
    }
}
