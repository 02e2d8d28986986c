package dev.posflow.live;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.api.PositionView.KafkaView;
import dev.posflow.publish.SamplePublisher;
import dev.posflow.store.IncomingPosition;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Hands positions to live-stream subscribers once their transaction has committed. A slow subscriber loses positions
 * rather than slowing ingest down.
 */
@ApplicationScoped
public class LiveFeed {

    private final BroadcastProcessor<LivePosition> broadcast = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();

    public void stored(List<IncomingPosition> positions) {
        // formatting every position cost about a tenth of ingest's CPU, for nobody when no one is watching
        if (subscribers.get() == 0) {
            return;
        }
        for (IncomingPosition position : positions) {
            broadcast.onNext(new LivePosition(position.sample().source().orElseThrow(),
                    SamplePublisher.MICROS_INSTANT.format(position.sample().sampledAt()), position.sample().x(),
                    position.sample().y(), new KafkaView(position.record().topic(), position.record().partition(),
                            position.record().offset())));
        }
    }

    public Multi<LivePosition> subscribe() {
        return broadcast.onOverflow().drop()
                .onSubscription().invoke(subscription -> subscribers.incrementAndGet())
                .onTermination().invoke(subscribers::decrementAndGet);
    }
}
