package dev.posflow.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.posflow.auth.Role;
import dev.posflow.store.PositionReader;
import dev.posflow.view.SourceView;

@Path("/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    private final PositionReader reader;

    SourceResource(PositionReader reader) {
        this.reader = reader;
    }

    /** Every source with its number of positions and the sampling times of its first and last. */
    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    public List<SourceView> sources() {
        return reader.sources().stream().map(SourceView::of).toList();
    }
}
