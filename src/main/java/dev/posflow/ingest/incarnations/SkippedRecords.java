package dev.posflow.ingest.incarnations;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts what ingest could not store because Kafka no longer had it, and each new incarnation of a topic:
 * {@code posflow_ingest_skipped_records_total{reason}} and {@code posflow_ingest_incarnations_total{reason}}.
 */
@ApplicationScoped
public class SkippedRecords {

    /** Records deleted by Kafka (retention, delete-records) before posflow read them. */
    static final String RETENTION = "retention";

    /** Records Kafka still has, but that the consumer passed over (see OffsetWatch); a replay reads them. */
    static final String UNREAD = "unread";

    private final MeterRegistry registry;

    SkippedRecords(MeterRegistry registry) {
        this.registry = registry;
        // present at 0 from the start, so that a rate or an alert can be written before anything happened
        skipped(RETENTION);
    }

    void add(String reason, long records) {
        skipped(reason).increment(records);
    }

    void newIncarnation(String reason) {
        Counter.builder("posflow.ingest.incarnations").tag("reason", reason)
                .description("Topic incarnations that replaced the one ingest had stored").register(registry)
                .increment();
    }

    private Counter skipped(String reason) {
        return Counter.builder("posflow.ingest.skipped.records").tag("reason", reason)
                .description("Records Kafka deleted before posflow read them").register(registry);
    }
}
