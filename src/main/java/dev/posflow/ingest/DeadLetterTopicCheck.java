package dev.posflow.ingest;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is DOWN from the moment the dead-letter topic fails to take a letter until it takes one again: ingest is
 * then waiting (policy pause) or committing poison records without their letters (skip), either of which an operator
 * must see. Only a letter tells: the topic is not probed while no poison record arrives.
 */
@Readiness
@ApplicationScoped
public class DeadLetterTopicCheck implements HealthCheck {

    private final AtomicReference<String> unavailable = new AtomicReference<>();

    void unavailable(String reason) {
        unavailable.set(reason);
    }

    void available() {
        unavailable.set(null);
    }

    @Override
    public HealthCheckResponse call() {
        String reason = unavailable.get();
        return reason == null
                ? HealthCheckResponse.named("dead-letter topic").up().build()
                : HealthCheckResponse.named("dead-letter topic").down().withData("reason", reason).build();
    }
}
