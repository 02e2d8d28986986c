package dev.posflow.api;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

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

import dev.posflow.auth.Role;
import dev.posflow.latest.LatestSnapshot;
import dev.posflow.store.read.LatestReader;
import dev.posflow.store.read.SourceQuery;
import dev.posflow.view.PageView;
import dev.posflow.view.PositionView;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** {@code GET /positions/latest}: the latest position of each source, or of one. */
@Path("/positions/latest")
@Produces(MediaType.APPLICATION_JSON)
public class LatestResource {

    private final LatestSnapshot latest;
    private final LatestReader latestReader;
    private final LatestJson json;

    LatestResource(LatestSnapshot latest, LatestReader latestReader, LatestJson json) {
        this.latest = latest;
        this.latestReader = latestReader;
        this.json = json;
    }

    /**
     * A page of the latest position of each source, in source order ({@code {items, next}} like history), or with
     * ?source= that source's alone (an object, 404 if none). Served from memory on the event loop (see
     * {@link LatestSnapshot}); what lies beyond the sources held in memory is read from MySQL on a worker thread.
     */
    @GET
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
                    .map(json::position)));
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
            List<byte[]> items = shown.stream().map(json::position).toList();
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

    /** MySQL is read on a worker thread, never on the event loop. */
    private static Uni<Response> blocking(Supplier<Response> read) {
        return Uni.createFrom().item(read).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

}
