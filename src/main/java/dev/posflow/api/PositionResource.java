package dev.posflow.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

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

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import dev.posflow.store.HistoryQuery;
import dev.posflow.store.LatestReader;
import dev.posflow.store.PositionEraser;
import dev.posflow.store.Position;
import dev.posflow.store.PositionReader;
import dev.posflow.view.DeletedView;
import dev.posflow.view.PageView;
import dev.posflow.view.PositionJson;
import dev.posflow.view.PositionView;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;
import dev.posflow.store.SourceQuery;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

@Path("/positions")
@Produces(MediaType.APPLICATION_JSON)
public class PositionResource {

    private final PositionReader reader;
    private final LatestSnapshot latest;
    private final LatestReader latestReader;
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

    PositionResource(PositionReader reader, LatestSnapshot latest, LatestReader latestReader, SampleIntake intake,
            ObjectMapper json, PosflowConfig config, PostRateLimit rateLimit, NewSourceQuota newSources,
            Instance<SecurityIdentity> identity) {
        this.reader = reader;
        this.latest = latest;
        this.latestReader = latestReader;
        this.intake = intake;
        this.json = json;
        this.config = config;
        this.sampleReader = new SampleReader(config.ingest().zone(), config.sample().xRange(),
                config.sample().yRange(), config.sample().maxFuture(), Clock.systemUTC());
        this.rateLimit = rateLimit;
        this.newSources = newSources;
        this.identity = identity;
    }

    /**
     * A page of the latest position of each source, in source order ({@code {items, next}} like history), or with
     * ?source= that source's alone (an object, 404 if none). Served from memory on the event loop (see
     * {@link LatestSnapshot}); what lies beyond the sources held in memory is read from MySQL on a worker thread.
     */
    @GET
    @Path("/latest")
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @NonBlocking
    @APIResponse(responseCode = "200", description = "A page of positions, one per source; with ?source=, that source's",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = { PageView.class, PositionView.class })))
    public Uni<Response> latest(
            @Parameter(description = "one source: its latest position alone, not a page") @QueryParam("source") String source,
            @Parameter(description = "positions per page, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "the 'next' of the previous page") @QueryParam("after") String after,
            @Parameter(description = "only these sources, comma-separated (at most 1000)") @QueryParam("sources") List<String> sources,
            @Parameter(description = "only sources whose name starts with this") @QueryParam("prefix") String prefix) {
        if (!latest.loaded()) {
            throw ProblemException.unavailable("the latest positions are being loaded", 1);
        }
        if (source != null) {
            if (SourcePageParameters.anyGiven(limit, after, sources, prefix)) {
                throw ProblemException.badRequest("'source' asks for one position; 'limit', 'after', 'sources' and"
                        + " 'prefix' page the list of every source and cannot go with it");
            }
            String name = HistoryParameters.requireSource(source);
            if (latest.holds(name)) {
                return Uni.createFrom().item(latestOf(name, latest.of(name)));
            }
            return blocking(() -> latestOf(name, latestReader.latestOf(List.of(name)).stream().findFirst()
                    .map(row -> toJson(LatestSnapshot.view(row)))));
        }
        SourceQuery query = SourcePageParameters.parse(limit, after, sources, prefix);
        Optional<LatestSnapshot.Page> page = latest.page(query);
        if (page.isPresent()) {
            return Uni.createFrom().item(latestPage(page.get().items(), page.get().more() ? page.get().last() : null));
        }
        return blocking(() -> {
            // one more than asked tells whether a next page exists without a count
            List<LatestReader.LatestRow> rows = latestReader.latestPage(query.withLimit(query.limit() + 1));
            boolean more = rows.size() > query.limit();
            List<LatestReader.LatestRow> shown = more ? rows.subList(0, query.limit()) : rows;
            List<byte[]> items = shown.stream().map(row -> toJson(LatestSnapshot.view(row))).toList();
            return latestPage(items, more ? shown.get(shown.size() - 1).source() : null);
        });
    }

    private static Response latestOf(String source, Optional<byte[]> position) {
        return Response.ok(position.orElseThrow(() -> ProblemException.notFound("no position of source '" + source
                + "'")), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response latestPage(List<byte[]> items, String lastOfMore) {
        return Response.ok(JsonPage.of(items, lastOfMore), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private byte[] toJson(PositionView position) {
        try {
            return json.writeValueAsBytes(position);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A position could not be written as JSON", e);
        }
    }

    /** MySQL is read on a worker thread, never on the event loop. */
    private static Uni<Response> blocking(Supplier<Response> read) {
        return Uni.createFrom().item(read).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * A page of history. The rows are written straight from the result set to JSON (see {@link PositionJson}): no
     * entity, view or Instant per row. On a worker thread, as every MySQL read.
     */
    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @Produces(JSON_UTF8)
    @APIResponse(responseCode = "200", description = "A page of positions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PageView.class)))
    public byte[] history(@QueryParam("source") String source, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") String limit, @QueryParam("after") String after,
            @QueryParam("order") String order) {
        HistoryQuery query = HistoryParameters.parse(source, from, to, limit, after, order);
        return json(256 + ROW_BYTES * query.limit(), out -> {
            PositionJson page = new PositionJson(out);
            page.startPage();
            Optional<HistoryQuery.Keyset> next = reader.history(query, page::write);
            page.endPage(next.map(Cursor::encode).orElse(null));
        });
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @Produces(JSON_UTF8)
    @APIResponse(responseCode = "200", description = "A position",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PositionView.class)))
    public byte[] byId(@PathParam("id") String id) {
        long key;
        try {
            key = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("a position id is a positive integer, not '" + id + "'");
        }
        // one row through its Panache entity: the same one SELECT by primary key as plain JDBC ran; pages of many rows
        // stay on PositionReader (docs/performance.md, "What goes through Panache")
        return Position.<Position> findByIdOptional(key).map(PositionView::of).map(this::toJson)
                .orElseThrow(() -> ProblemException.notFound("no position with id " + id));
    }

    /** The content type Quarkus REST gave these answers when Jackson wrote them from the views. */
    private static final String JSON_UTF8 = MediaType.APPLICATION_JSON + ";charset=UTF-8";

    /** About the JSON of one position, to size the buffer once. */
    private static final int ROW_BYTES = 224;

    private interface JsonBody {
        void write(JsonGenerator out) throws IOException;
    }

    /**
     * What the writer generates, with the application's JSON settings. As bytes, not a Response: the writer of a
     * byte[] is chosen once at build time, that of a Response's entity on every request (JFR, issue 11).
     */
    private byte[] json(int expectedSize, JsonBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(expectedSize);
        try (JsonGenerator out = json.getFactory().createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
        // authenticated by @RolesAllowed before this method runs: reading the identity does not block
        SecurityIdentity writer = identity.get();
        String caller = CallerKey.of(identity, request);
        Uni<Response> published = Uni.createFrom().completionStage(() -> publish(body, writer, caller));
        return body == null || body.length() <= INLINE_BODY_CHARS ? published
                : published.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** About 30 samples: parsed and sent in tens of microseconds. */
    private static final int INLINE_BODY_CHARS = 4096;

    private CompletionStage<Response> publish(String body, SecurityIdentity writer, String caller) {
        List<Sample> samples = SampleBody.parse(json, body, sampleReader, config.publish().maxSamplesPerRequest(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        Set<String> sources = new TreeSet<>();
        // a sample without source is stored under the topic's name, as ingest does with a keyless record
        samples.forEach(sample -> sources.add(sample.source().orElse(config.publish().topic())));
        Caller.requireMayWrite(writer, sources);
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
