package dev.posflow.publish;

/** The broker cannot take samples right now; the caller should retry after a while. */
public class PublishUnavailableException extends RuntimeException {

    private final int retryAfterSeconds;

    public PublishUnavailableException(String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
