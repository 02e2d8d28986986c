package dev.posflow.api;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.auth.Caller;
import dev.posflow.auth.Role;
import dev.posflow.config.PosflowConfig;
import dev.posflow.limits.CallerKey;
import dev.posflow.latest.LatestSnapshot;
import dev.posflow.limits.NewSourceQuota;
import dev.posflow.limits.PostRateLimit;
import dev.posflow.publish.SampleIntake;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SampleReader;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;

/** {@code POST /positions}: samples published to Kafka, answered once the broker has them. */
@Path("/positions")
@Produces(MediaType.APPLICATION_JSON)
public class PostPositionsResource {

    private final SampleIntake intake;
    private final ObjectMapper json;
    private final PosflowConfig config;
    private final SampleReader sampleReader;
    private final PostRateLimit rateLimit;
    private final NewSourceQuota newSources;
    private final LatestSnapshot latest;
    private final Instance<SecurityIdentity> identity;

    PostPositionsResource(SampleIntake intake, ObjectMapper json, PosflowConfig config, PostRateLimit rateLimit,
            NewSourceQuota newSources, LatestSnapshot latest, Instance<SecurityIdentity> identity) {
        this.intake = intake;
        this.json = json;
        this.config = config;
        this.sampleReader = new SampleReader(config.ingest().zone(), config.sample().xRange(),
                config.sample().yRange(), config.sample().maxFuture(), Clock.systemUTC());
        this.rateLimit = rateLimit;
        this.newSources = newSources;
        this.latest = latest;
        this.identity = identity;
    }

    /**
     * Publishes samples to Kafka; they are stored when ingest reads them back. Answers 202 once the broker has
     * acknowledged every one of them. A small body is read and sent on the event loop that received it: a hop to a
     * worker thread and back cost more than the few microseconds its parsing takes. A larger one (an array of more
     * than a few dozen samples, up to quarkus.http.limits.max-body-size) is read on a worker thread, so that it does
     * not hold up every other request that event loop serves.
     * A writer's samples must all be of sources its token names, or none is published.
     */
    @POST
    @NonBlocking
    @RolesAllowed({ Role.WRITER_NAME, Role.ADMIN_NAME })
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(String body, @Context HttpServerRequest request) {
        // authenticated by @RolesAllowed before this method runs: reading the identity does not block. Read here, on
        // the request's thread: the request context is not carried to the worker thread of a large body
        Caller.Writer writer = Caller.writer(identity.get());
        String caller = CallerKey.of(identity, request);
        Uni<Response> published = Uni.createFrom().completionStage(() -> publish(body, writer, caller));
        return body == null || body.length() <= INLINE_BODY_CHARS ? published
                : published.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** About 30 samples: parsed and sent in tens of microseconds. */
    private static final int INLINE_BODY_CHARS = 4096;

    private CompletionStage<Response> publish(String body, Caller.Writer writer, String caller) {
        List<Sample> samples = SampleBody.parse(json, body, sampleReader, config.publish().maxSamplesPerRequest(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        Set<String> sources = new TreeSet<>();
        // a sample without source is stored under the topic's name, as ingest does with a keyless record
        samples.forEach(sample -> sources.add(sample.source().orElse(config.publish().topic())));
        writer.requireMayWrite(sources);
        rateLimit.admit(caller, samples.size());
        newSources.admit(caller, latest.withoutPosition(sources));
        return intake.publishAll(samples)
                .thenApply(ignored -> Response.accepted(Map.of("accepted", samples.size())).build());
    }

}
