package dev.posflow.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record that can never be stored, and why. */
public record DeadLetter(ConsumerRecord<String, DecodedValue> record, String reason) {
}
