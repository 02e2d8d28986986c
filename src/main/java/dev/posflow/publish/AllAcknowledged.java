package dev.posflow.publish;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One future for the records of one request: completes when the broker has acknowledged the last of them, fails on
 * the first it refuses. An array of 100 samples would otherwise cost 100 futures and CompletableFuture.allOf's tree
 * over them; the Emitter's Message takes the ack and nack functions as they are.
 */
final class AllAcknowledged {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final CompletableFuture<Void> all = new CompletableFuture<>();
    private final AtomicInteger pending;

    final Supplier<CompletionStage<Void>> ack = this::acknowledged;
    final Function<Throwable, CompletionStage<Void>> nack = this::refused;

    AllAcknowledged(int records) {
        this.pending = new AtomicInteger(records);
    }

    CompletableFuture<Void> all() {
        return all;
    }

    private CompletionStage<Void> acknowledged() {
        if (pending.decrementAndGet() == 0) {
            all.complete(null);
        }
        return DONE;
    }

    private CompletionStage<Void> refused(Throwable failure) {
        all.completeExceptionally(failure);
        return DONE;
    }
}
