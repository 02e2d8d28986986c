package dev.posflow.publish;

import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Sends through an Emitter and tells when the broker has the record: Emitter.send(Message) itself returns nothing.
 * Left for ingest's DeadLetterPublisher alone, which moves to MutinyEmitter.sendMessage (as SamplePublisher has) in a
 * change of its own; this class goes with it.
 */
public final class AcknowledgedSend {

    private AcknowledgedSend() {
    }

    /**
     * @return completes on the broker's acknowledgement, fails with the reason it refused
     * @throws IllegalStateException when the emitter's buffer is full
     */
    public static CompletableFuture<Void> send(Emitter<String> emitter, String payload, Metadata metadata) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(payload, metadata)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }
}
