package dev.posflow.ingest;

/** A record that can never be stored; the message becomes its dead letter's {@code dead-letter-reason}. */
public class PoisonRecordException extends Exception {

    public PoisonRecordException(String reason) {
        super(reason, null, false, false);
    }
}
