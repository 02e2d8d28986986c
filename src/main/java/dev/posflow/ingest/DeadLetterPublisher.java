package dev.posflow.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import dev.posflow.publish.AcknowledgedSend;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends poison records to the dead-letter topic, with the headers SmallRye's dead-letter-queue strategy writes
 * ({@code dead-letter-reason}, {@code -topic}, {@code -partition}, {@code -offset}), and waits until the broker has
 * them.
 * <p>
 * Hand-written because SmallRye's strategy works per nacked message: in batch mode it would dead-letter a whole
 * batch, and it cannot tell ingest when the letter is safe, which ingest needs before it commits the record's offset
 * to MySQL. A crash between the two re-sends the letter: dead letters are at-least-once, rows exactly-once.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Channel("positions-dlq")
    Emitter<String> emitter;

    public void publish(List<DeadLetter> letters) throws InterruptedException {
        if (letters.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] acks = letters.stream().map(this::send).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(acks).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The dead-letter topic did not take " + letters.size() + " records", e);
        }
    }

    private CompletableFuture<Void> send(DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders(letter.record().headers().toArray());
        headers.add("dead-letter-reason", bytes(letter.reason()));
        headers.add("dead-letter-topic", bytes(letter.record().topic()));
        headers.add("dead-letter-partition", bytes(String.valueOf(letter.record().partition())));
        headers.add("dead-letter-offset", bytes(String.valueOf(letter.record().offset())));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String> builder()
                .withKey(letter.record().key())
                .withHeaders(headers)
                .build();
        // a null value (tombstone) cannot travel through the emitter: it becomes empty, the reason says "empty value";
        // any other value as text, decoded as StringDeserializer does (UTF-8, malformed bytes replaced)
        byte[] raw = letter.record().value() == null ? null : letter.record().value().raw();
        String value = raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
        return AcknowledgedSend.send(emitter, value, Metadata.of(metadata));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
