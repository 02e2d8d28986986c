package dev.posflow.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.posflow.auth.Role;
import dev.posflow.config.PosflowConfig;
import dev.posflow.store.erase.PositionEraser;
import dev.posflow.view.DeletedView;

/**
 * {@code DELETE /sources/{source}}: a device forgotten, its rows, its latest position and its counts. Its own class so
 * that GET /sources stays in SourceResource: the paths differ, the class paths do not overlap.
 */
@Path("/sources/{source}")
@Produces(MediaType.APPLICATION_JSON)
public class SourceErasureResource {

    private final PositionEraser eraser;
    private final PosflowConfig config;

    SourceErasureResource(PositionEraser eraser, PosflowConfig config) {
        this.eraser = eraser;
        this.config = config;
    }

    @DELETE
    @RolesAllowed(Role.ADMIN_NAME)
    public DeletedView erase(@PathParam("source") String source) {
        String valid = HistoryParameters.requireSource(source);
        return eraser.eraseSource(valid, config.retention().batchSize()).map(DeletedView::new)
                .orElseThrow(() -> ProblemException.notFound("no source '" + source + "'"));
    }
}
