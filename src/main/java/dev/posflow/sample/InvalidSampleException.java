package dev.posflow.sample;

/** A sample that can never be stored; the message says why, precisely enough for the producer to fix it. */
public class InvalidSampleException extends Exception {

    public InvalidSampleException(String reason) {
        super(reason, null, false, false);
    }
}
