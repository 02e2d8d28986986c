package dev.posflow.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.posflow.view.Problem;

/**
 * Answers a body declared larger than {@code quarkus.http.limits.max-body-size} with a 413 problem+json, ahead of
 * Quarkus's own check, which answers the same status with an empty body. A chunked body (no Content-Length) that
 * grows past the limit is still cut off by Quarkus with that empty 413.
 */
@ApplicationScoped
public class BodyLimitProblem {

    private final long maxBodySize;
    private final ObjectMapper json;

    BodyLimitProblem(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper json) {
        this.maxBodySize = maxBodySize.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        // after the configured security headers (quarkus.http.header, at Integer.MIN_VALUE), so that this answer
        // carries them too; still ahead of Quarkus's body handler, registered later at the same order
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1; // Vert.x's codec refuses it
        }
        if (length <= maxBodySize) {
            context.next();
            return;
        }
        int status = Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode();
        Problem problem = new Problem("about:blank", Response.Status.REQUEST_ENTITY_TOO_LARGE.getReasonPhrase(), status,
                "the body has " + length + " bytes, more than the " + maxBodySize
                        + " taken (quarkus.http.limits.max-body-size)",
                context.request().path());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the rest of the body is not read: close the connection rather than leave it to drain
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
