package dev.posflow.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record that can never be stored, and why: in at most {@link #MAX_REASON_CHARS} characters. */
public record DeadLetter(ConsumerRecord<String, DecodedValue> record, String reason) {

    /** A reason is a sentence; what it quotes from the record (a value, an id) is in the letter itself. */
    static final int MAX_REASON_CHARS = 300;

    public DeadLetter {
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS) + "… (" + reason.length() + " characters)";
        }
    }

    /** The value as the broker had it; empty for a tombstone, which cannot travel through the emitter. */
    byte[] value() {
        byte[] raw = record.value() == null ? null : record.value().raw();
        return raw == null ? new byte[0] : raw;
    }

    /** Where the record was: for a log line that stands in for a letter that could not be sent. */
    String coordinates() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
