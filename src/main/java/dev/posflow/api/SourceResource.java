package dev.posflow.api;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.auth.Role;
import dev.posflow.latest.LatestSnapshot;
import dev.posflow.store.read.LatestReader;
import dev.posflow.store.read.SourceQuery;
import dev.posflow.view.SourcePageView;
import dev.posflow.view.SourceView;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

@Path("/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    /** The content type Quarkus REST gave this answer when Jackson wrote it from the view. */
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    private final LatestReader reader;
    private final LatestSnapshot latest;
    private final ObjectMapper json;

    SourceResource(LatestReader reader, LatestSnapshot latest, ObjectMapper json) {
        this.reader = reader;
        this.latest = latest;
        this.json = json;
    }

    /**
     * A page of sources in name order, each with its number of positions and the sampling times of its first and last.
     * Served from memory on the event loop, where the latest snapshot holds the sources (it keeps each one's summary
     * beside its latest position, ready as JSON); else one primary-key range of latest_positions, read on a worker
     * thread.
     */
    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @NonBlocking
    @APIResponse(responseCode = "200", description = "A page of sources",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SourcePageView.class)))
    public Uni<Response> sources(
            @Parameter(description = "sources per page, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "the 'next' of the previous page") @QueryParam("after") String after,
            @Parameter(description = "only these sources, comma-separated (at most 1000)") @QueryParam("sources") List<String> sources,
            @Parameter(description = "only sources whose name starts with this") @QueryParam("prefix") String prefix) {
        SourceQuery query = SourcePageParameters.parse(limit, after, sources, prefix);
        if (latest.loaded()) {
            Optional<LatestSnapshot.Page> page = latest.sourcePage(query);
            if (page.isPresent()) {
                return Uni.createFrom().item(ok(JsonPage.of(page.get().items(),
                        page.get().more() ? page.get().last() : null)));
            }
        }
        // MySQL is read on a worker thread, never on the event loop
        return Uni.createFrom().item(() -> ok(fromDatabase(query))).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private byte[] fromDatabase(SourceQuery query) {
        // one more than asked tells whether a next page exists without a count
        List<LatestReader.SourceRow> rows = reader.sourcePage(query.withLimit(query.limit() + 1));
        boolean more = rows.size() > query.limit();
        List<LatestReader.SourceRow> page = more ? rows.subList(0, query.limit()) : rows;
        SourcePageView view = new SourcePageView(page.stream().map(SourceView::of).toList(),
                more ? SourceCursor.encode(page.get(page.size() - 1).source()) : null);
        return JsonBytes.of(json, view);
    }

    private static Response ok(byte[] body) {
        return Response.ok(body, JSON_UTF8).build();
    }
}
