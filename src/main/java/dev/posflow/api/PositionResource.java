package dev.posflow.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Instance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.auth.Caller;
import dev.posflow.auth.Role;
import dev.posflow.config.PosflowConfig;
import dev.posflow.latest.LatestSnapshot;
import dev.posflow.limits.CallerKey;
import dev.posflow.limits.NewSourceQuota;
import dev.posflow.limits.PostRateLimit;
import dev.posflow.publish.SampleIntake;
import dev.posflow.sample.Sample;
import dev.posflow.sample.SampleReader;
import dev.posflow.store.HistoryPage;
import dev.posflow.store.HistoryQuery;
import dev.posflow.store.Position;
import dev.posflow.store.PositionEraser;
import dev.posflow.store.PositionReader;
import dev.posflow.view.DeletedView;
import dev.posflow.view.PageView;
import dev.posflow.view.PositionView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;

@Path("/positions")
@Produces(MediaType.APPLICATION_JSON)
public class PositionResource {

    private final PositionReader reader;
    private final LatestSnapshot latest;
    private final SampleIntake intake;
    private final ObjectMapper json;
    private final PosflowConfig config;
    private final SampleReader sampleReader;
    private final PostRateLimit rateLimit;
    private final NewSourceQuota newSources;
    private final Instance<SecurityIdentity> identity;

    // a field, not a constructor parameter: the erasure methods came later, and the constructor is shared ground
    @jakarta.inject.Inject
    PositionEraser eraser;

    PositionResource(PositionReader reader, LatestSnapshot latest, SampleIntake intake, ObjectMapper json,
            PosflowConfig config, PostRateLimit rateLimit, NewSourceQuota newSources, Instance<SecurityIdentity> identity) {
        this.reader = reader;
        this.latest = latest;
        this.intake = intake;
        this.json = json;
        this.config = config;
        this.sampleReader = new SampleReader(config.ingest().zone(), config.sample().xRange(),
                config.sample().yRange());
        this.rateLimit = rateLimit;
        this.newSources = newSources;
        this.identity = identity;
    }

    /**
     * The latest position of every source (an array), or with ?source= that source's alone (an object). Served from
     * memory on the event loop: see {@link LatestSnapshot}.
     */
    @GET
    @Path("/latest")
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @NonBlocking
    @APIResponse(responseCode = "200", description = "An array of positions, or one position with ?source=",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PositionView.class, type = SchemaType.ARRAY)))
    public Response latest(@QueryParam("source") String source) {
        LatestSnapshot.Snapshot snapshot = latest.current()
                .orElseThrow(() -> ProblemException.unavailable("the latest positions are being loaded", 1));
        if (source == null) {
            return Response.ok(snapshot.all(), MediaType.APPLICATION_JSON_TYPE).build();
        }
        byte[] position = snapshot.bySource().get(HistoryParameters.requireSource(source));
        if (position == null) {
            throw ProblemException.notFound("no position of source '" + source + "'");
        }
        return Response.ok(position, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    public PageView history(@QueryParam("source") String source, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") String limit, @QueryParam("after") String after,
            @QueryParam("order") String order) {
        HistoryPage page = reader.history(HistoryParameters.parse(source, from, to, limit, after, order));
        return new PageView(page.items().stream().map(PositionView::of).toList(),
                page.next().map(Cursor::encode).orElse(null));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    public PositionView byId(@PathParam("id") String id) {
        long key;
        try {
            key = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("a position id is a positive integer, not '" + id + "'");
        }
        return reader.byId(key).map(PositionView::of)
                .orElseThrow(() -> ProblemException.notFound("no position with id " + id));
    }

    /**
     * Publishes samples to Kafka; they are stored when ingest reads them back. Answers 202 once the broker has
     * acknowledged every one of them. On a worker thread ({@code @Blocking}): a method returning a CompletionStage
     * would otherwise run on the event loop, and parsing a body of up to quarkus.http.limits.max-body-size there would
     * hold up every other request that loop serves.
     * A writer's samples must all be of sources its token names, or none is published.
     */
    @POST
    @Blocking
    @RolesAllowed({ Role.WRITER_NAME, Role.ADMIN_NAME })
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> publish(String body, @Context HttpServerRequest request) {
        List<Sample> samples = SampleBody.parse(json, body, sampleReader, config.publish().maxSamplesPerRequest(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        Set<String> sources = new TreeSet<>();
        // a sample without source is stored under the topic's name, as ingest does with a keyless record
        samples.forEach(sample -> sources.add(sample.source().orElse(config.publish().topic())));
        Caller.requireMayWrite(identity.get(), sources);
        String caller = CallerKey.of(identity, request);
        rateLimit.admit(caller, samples.size());
        newSources.admit(caller, sources);
        return intake.publishAll(samples)
                .thenApply(ignored -> Response.accepted(Map.of("accepted", samples.size())).build());
    }

    /** Erases one position; the source's latest position and counts follow (PositionEraser). */
    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    public DeletedView erase(@PathParam("id") String id) {
        long key;
        try {
            key = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("a position id is a positive integer, not '" + id + "'");
        }
        if (eraser.eraseById(key, config.retention().batchSize()) == 0) {
            throw ProblemException.notFound("no position with id " + id);
        }
        return new DeletedView(1);
    }

    /** Erases the positions of a source (or of all sources) sampled before an instant, in bounded transactions. */
    @DELETE
    @RolesAllowed(Role.ADMIN_NAME)
    public DeletedView eraseBefore(@QueryParam("source") String source, @QueryParam("before") String before) {
        Instant until = HistoryParameters.requireInstant("before", before);
        return new DeletedView(eraser.eraseBefore(HistoryParameters.source(source), until,
                config.retention().batchSize(), PositionEraser.Cause.ERASED));
    }
}
