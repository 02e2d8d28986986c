package dev.posflow.api;

import jakarta.ws.rs.core.Response;

/** Ends a request with a problem+json answer of the given status and detail. */
public class ProblemException extends RuntimeException {

    private final Response.Status status;
    private final int retryAfterSeconds;

    public ProblemException(Response.Status status, String detail) {
        this(status, detail, 0);
    }

    private ProblemException(Response.Status status, String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Response.Status.NOT_FOUND, detail);
    }

    /** 413: the request carries more than posflow takes at once. */
    public static ProblemException tooLarge(String detail) {
        return new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Response.Status.FORBIDDEN, detail);
    }

    /** 429 with a Retry-After header. */
    public static ProblemException tooManyRequests(String detail, int retryAfterSeconds) {
        return new ProblemException(Response.Status.TOO_MANY_REQUESTS, detail, Math.max(1, retryAfterSeconds));
    }

    /** 503 with a Retry-After header. */
    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(Response.Status.SERVICE_UNAVAILABLE, detail, retryAfterSeconds);
    }

    /** 0 when the answer has no Retry-After header. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Response.Status status() {
        return status;
    }
}
