package dev.posflow.ingest;

/**
 * Inside {@link RecordDecoder} only: the reading of a value found it can never be stored. The decoder turns it into a
 * poison {@link DecodedValue} at once, whose reason becomes the dead letter's {@code dead-letter-reason}.
 */
class PoisonRecordException extends Exception {

    PoisonRecordException(String reason) {
        super(reason, null, false, false);
    }
}
