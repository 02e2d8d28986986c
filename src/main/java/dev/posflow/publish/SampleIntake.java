package dev.posflow.publish;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;
import dev.posflow.sample.Sample;

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

    /**
     * Completes when the broker has acknowledged all samples.
     *
     * @throws PublishUnavailableException when posflow's outgoing buffer is full; the returned stage fails with it
     *         when Kafka refuses a sample or does not acknowledge them all within posflow.publish.ack-timeout
     */
    public CompletionStage<Void> publishAll(List<Sample> samples) {
        long timeout = config.publish().ackTimeout().toMillis();
        try {
            return publisher.publishAll(samples)
                    .orTimeout(timeout, TimeUnit.MILLISECONDS)
                    .exceptionally(failure -> {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        throw new PublishUnavailableException(cause instanceof TimeoutException
                                ? "Kafka did not acknowledge the samples within " + timeout + " ms"
                                : "Kafka refused the samples: " + cause.getMessage(), RETRY_AFTER_SECONDS);
                    });
        } catch (IllegalStateException full) {
            throw new PublishUnavailableException("posflow's outgoing buffer is full (is Kafka reachable?): "
                    + full.getMessage(), RETRY_AFTER_SECONDS);
        }
    }
}
