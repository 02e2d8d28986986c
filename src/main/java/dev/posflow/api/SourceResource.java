package dev.posflow.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import dev.posflow.auth.Role;
import dev.posflow.store.LatestReader;
import dev.posflow.store.SourceQuery;
import dev.posflow.view.SourcePageView;
import dev.posflow.view.SourceView;

@Path("/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    private final LatestReader reader;

    SourceResource(LatestReader reader) {
        this.reader = reader;
    }

    /**
     * A page of sources in name order, each with its number of positions and the sampling times of its first and last:
     * one primary-key range of latest_positions, however many sources there are.
     */
    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    public SourcePageView sources(
            @Parameter(description = "sources per page, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "the 'next' of the previous page") @QueryParam("after") String after,
            @Parameter(description = "only these sources, comma-separated (at most 1000)") @QueryParam("sources") List<String> sources,
            @Parameter(description = "only sources whose name starts with this") @QueryParam("prefix") String prefix) {
        SourceQuery query = SourcePageParameters.parse(limit, after, sources, prefix);
        // one more than asked tells whether a next page exists without a count
        List<LatestReader.SourceRow> rows = reader.sourcePage(query.withLimit(query.limit() + 1));
        boolean more = rows.size() > query.limit();
        List<LatestReader.SourceRow> page = more ? rows.subList(0, query.limit()) : rows;
        // the instants come formatted from MySQL (LatestReader): no parsing and formatting again per source
        return new SourcePageView(page.stream()
                .map(row -> new SourceView(row.source(), row.count(), row.first(), row.last())).toList(),
                more ? SourceCursor.encode(page.get(page.size() - 1).source()) : null);
    }
}
