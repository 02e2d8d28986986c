package dev.posflow.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.posflow.limits.LimitExceededException;
import dev.posflow.publish.PublishUnavailableException;
import dev.posflow.store.read.ReadTimedOutException;
import dev.posflow.view.Problem;

/**
 * Turns every failure into RFC 9457 problem+json. Hand-written because the Quarkiverse resteasy-problem extension is
 * not published for this Quarkus version, and the mapping is a few lines.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** After a read timed out: the same read is likely to again, so not at once. */
    private static final int READ_RETRY_AFTER_SECONDS = 30;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response answer = answer(e.status().getStatusCode(), e.getMessage(), uri);
        if (e.retryAfterSeconds() == 0) {
            return answer;
        }
        return Response.fromResponse(answer).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response unavailable(PublishUnavailableException e, UriInfo uri) {
        return problem(ProblemException.unavailable(e.getMessage(), e.retryAfterSeconds()), uri);
    }

    /** A read the database ended at its time limit: the server's bound, not the client's mistake. */
    @ServerExceptionMapper
    public Response readTimedOut(ReadTimedOutException e, UriInfo uri) {
        return problem(ProblemException.unavailable(e.getMessage(), READ_RETRY_AFTER_SECONDS), uri);
    }

    @ServerExceptionMapper
    public Response limit(LimitExceededException e, UriInfo uri) {
        return problem(e.kind() == LimitExceededException.Kind.QUOTA ? ProblemException.forbidden(e.getMessage())
                : ProblemException.tooManyRequests(e.getMessage(), e.retryAfterSeconds()), uri);
    }

    /** What the framework rejects before posflow's code runs: unknown path, wrong method or media type. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        return answer(status, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.error("Request failed", e);
        return answer(500, "posflow failed to answer; the log holds the cause", uri);
    }

    private static Response answer(int status, String detail, UriInfo uri) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error " + status : type.getReasonPhrase();
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath()))
                .build();
    }
}
