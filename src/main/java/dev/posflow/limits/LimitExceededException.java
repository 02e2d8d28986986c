package dev.posflow.limits;

/**
 * A caller went beyond one of its bounds. Thrown here and answered as problem+json by the API's mappers, so that the
 * limits do not depend on the API that uses them.
 */
public class LimitExceededException extends RuntimeException {

    /** How the API answers it: 403 for a quota that time does not restore, 429 for one it does. */
    public enum Kind {
        QUOTA, RATE
    }

    private final Kind kind;
    private final int retryAfterSeconds;

    private LimitExceededException(Kind kind, String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static LimitExceededException quota(String detail) {
        return new LimitExceededException(Kind.QUOTA, detail, 0);
    }

    static LimitExceededException rate(String detail, int retryAfterSeconds) {
        return new LimitExceededException(Kind.RATE, detail, Math.max(1, retryAfterSeconds));
    }

    public Kind kind() {
        return kind;
    }

    /** 0 for a quota. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
