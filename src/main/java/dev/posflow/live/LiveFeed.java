package dev.posflow.live;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import dev.posflow.store.write.IncomingPosition;
import dev.posflow.store.write.PositionsStored;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Hands positions to live-stream subscribers once their batch has committed, as stored: each subscriber's resource
 * writes them. A slow subscriber loses positions rather than slowing ingest down.
 */
@ApplicationScoped
public class LiveFeed {

    private final BroadcastProcessor<IncomingPosition> broadcast = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();

    void onStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) PositionsStored batch) {
        // handing every position over cost about a tenth of ingest's CPU (when it was formatted here), for nobody
        // when no one is watching
        if (subscribers.get() == 0) {
            return;
        }
        for (IncomingPosition position : batch.positions()) {
            broadcast.onNext(position);
        }
    }

    public Multi<IncomingPosition> subscribe() {
        return broadcast.onOverflow().drop()
                .onSubscription().invoke(subscription -> subscribers.incrementAndGet())
                .onTermination().invoke(subscribers::decrementAndGet);
    }
}
