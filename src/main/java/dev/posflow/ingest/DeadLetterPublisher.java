package dev.posflow.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import dev.posflow.config.PosflowConfig;
import dev.posflow.config.PosflowConfig.Ingest.DeadLetterUnavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends poison records to the dead-letter topic as {@link FittedLetter}s (the original bytes, or what fits, said so),
 * and waits until the broker has them.
 * <p>
 * Hand-written because SmallRye's dead-letter-queue strategy works per nacked message: in batch mode it would
 * dead-letter a whole batch, and it cannot tell ingest when the letter is safe, which ingest needs before it commits
 * the record's offset to MySQL. A crash between the two re-sends the letter: dead letters are at-least-once, rows
 * exactly-once.
 * <p>
 * When the topic cannot take a letter at all (missing, denied, unreachable), readiness goes DOWN
 * ({@link DeadLetterTopicCheck}), {@code posflow_ingest_dead_letter_failures_total} counts it, and
 * {@code posflow.ingest.dead-letter-unavailable} decides: {@code pause} fails the batch, which is retried until the
 * topic takes it; {@code skip} lets the record's offset commit without its letter, logged at ERROR.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final MutinyEmitter<byte[]> emitter;
    private final DeadLetterTopicCheck readiness;
    private final PosflowConfig.Ingest config;
    private final Counter failures;
    private final Counter skipped;

    DeadLetterPublisher(@Channel("positions-dlq") MutinyEmitter<byte[]> emitter,
            @Readiness DeadLetterTopicCheck readiness, PosflowConfig config, MeterRegistry registry) {
        this.emitter = emitter;
        this.readiness = readiness;
        this.config = config.ingest();
        this.failures = Counter.builder("posflow.ingest.dead-letter.failures")
                .description("Dead letters the dead-letter topic did not take (each attempt)").register(registry);
        this.skipped = Counter.builder("posflow.ingest.records").tag("outcome", "skipped-without-dead-letter")
                .description("Poison records committed without their dead letter "
                        + "(posflow.ingest.dead-letter-unavailable=skip)")
                .register(registry);
    }

    /**
     * @return how many letters the broker took; the others were skipped (policy {@code skip})
     * @throws IllegalStateException when a letter was not taken and the policy is {@code pause}
     */
    public int publish(List<DeadLetter> letters) throws InterruptedException {
        if (letters.isEmpty()) {
            return 0;
        }
        Map<DeadLetter, Throwable> failed = sendAll(letters, config.deadLetterMaxBytes());
        // the topic's max.message.bytes (or the producer's max.request.size) is below posflow's limit: the letter
        // once more without its value, which its size and digest still identify
        List<DeadLetter> tooLarge = failed.entrySet().stream()
                .filter(entry -> isCausedBy(entry.getValue(), RecordTooLargeException.class))
                .map(Map.Entry::getKey).toList();
        if (!tooLarge.isEmpty()) {
            tooLarge.forEach(failed::remove);
            failed.putAll(sendAll(tooLarge, 0));
        }
        if (failed.isEmpty()) {
            readiness.available();
            return letters.size();
        }
        failures.increment(failed.size());
        Throwable first = failed.values().iterator().next();
        String why = "the dead-letter topic " + config.deadLetterTopic() + " did not take " + failed.size() + " of "
                + letters.size() + " records: " + first;
        readiness.unavailable(why);
        if (config.deadLetterUnavailable() == DeadLetterUnavailable.PAUSE) {
            throw new IllegalStateException(
                    why + "; ingest waits for it (posflow.ingest.dead-letter-unavailable=pause)", first);
        }
        failed.forEach((letter, failure) -> {
            byte[] value = letter.value();
            LOG.errorf("Poison record %s skipped WITHOUT its dead letter "
                    + "(posflow.ingest.dead-letter-unavailable=skip): value of %d bytes, sha256 %s, key %s, reason: %s. The dead-letter topic %s did not take it: %s",
                    letter.coordinates(), value.length, FittedLetter.sha256(value), letter.record().key() == null
                            ? "none" : letter.record().key().length() + " characters",
                    letter.reason(), config.deadLetterTopic(), failure);
            skipped.increment();
        });
        return letters.size() - failed.size();
    }

    /** @return the letters the broker did not acknowledge in time, and why */
    private Map<DeadLetter, Throwable> sendAll(List<DeadLetter> letters, int maxBytes) throws InterruptedException {
        List<CompletableFuture<Void>> acks = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            acks.add(send(FittedLetter.of(letter, maxBytes)));
        }
        long deadline = System.nanoTime() + config.deadLetterTimeout().toNanos();
        Map<DeadLetter, Throwable> failed = new LinkedHashMap<>();
        for (int i = 0; i < letters.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failed.put(letters.get(i), e.getCause());
            } catch (TimeoutException e) {
                failed.put(letters.get(i), new TimeoutException("not acknowledged within "
                        + config.deadLetterTimeout() + " (posflow.ingest.dead-letter-timeout)"));
            }
        }
        return failed;
    }

    private CompletableFuture<Void> send(FittedLetter letter) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withKey(letter.key())
                .withHeaders(letter.headers())
                .build();
        try {
            // completes on the broker's acknowledgement, fails with the reason it refused
            return emitter.sendMessage(Message.of(letter.value(), Metadata.of(metadata)))
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            // the emitter's buffer is full, or its channel is gone
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean isCausedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
