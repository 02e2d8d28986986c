package dev.posflow.store.read;

/** The database ended a read that ran past its time limit (posflow.reads.statement-timeout). */
public class ReadTimedOutException extends RuntimeException {

    ReadTimedOutException(String what, Throwable cause) {
        super(what + " took longer than its time limit (posflow.reads.statement-timeout); narrow the range or the"
                + " sources", cause, false, false);
    }

    /** The exception to throw for a failed read: this one when the time limit ended it. */
    static RuntimeException of(String what, java.sql.SQLException e) {
        return ReadTimeLimit.isTimeLimit(e) ? new ReadTimedOutException(what, e)
                : new IllegalStateException(what + " failed", e);
    }
}
