package dev.posflow.ingest;

/**
 * A record that can never be stored. Thrown from the incoming method, it makes SmallRye's dead-letter-queue failure
 * strategy forward the record to the dead-letter topic with this message as its {@code dead-letter-reason} header.
 */
public class PoisonRecordException extends Exception {

    public PoisonRecordException(String reason) {
        super(reason, null, false, false);
    }
}
