package dev.posflow.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;
import dev.posflow.sample.Sample;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/** Publishes the samples clients send, and tells them when Kafka cannot take them. */
@ApplicationScoped
public class SampleIntake {

    private static final int RETRY_AFTER_SECONDS = 5;

    private final SamplePublisher publisher;
    private final PosflowConfig config;

    SampleIntake(SamplePublisher publisher, PosflowConfig config) {
        this.publisher = publisher;
        this.config = config;
    }

    /** Completes when the broker has acknowledged all samples; fails with {@link PublishUnavailableException}. */
    public CompletionStage<Void> publishAll(List<Sample> samples) {
        List<Uni<Void>> sends = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            sends.add(publisher.publish(sample));
        }
        long timeout = config.publish().ackTimeout().toMillis();
        // subscribed in list order: a source's samples reach the channel in the order the client sent them
        Uni<Void> all = sends.size() == 1 ? sends.get(0) : Uni.combine().all().unis(sends).discardItems();
        return all.ifNoItem().after(config.publish().ackTimeout()).fail()
                .onFailure().transform(failure -> new PublishUnavailableException(
                        failure instanceof TimeoutException
                                ? "Kafka did not acknowledge the samples within " + timeout + " ms"
                                : failure instanceof IllegalStateException
                                        ? "posflow's outgoing buffer is full (is Kafka reachable?): "
                                                + failure.getMessage()
                                        : "Kafka refused the samples: " + failure.getMessage(),
                        RETRY_AFTER_SECONDS))
                .subscribeAsCompletionStage();
    }
}
