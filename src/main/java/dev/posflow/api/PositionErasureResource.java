package dev.posflow.api;

import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.posflow.auth.Role;
import dev.posflow.config.PosflowConfig;
import dev.posflow.store.erase.PositionEraser;
import dev.posflow.view.DeletedView;

/** {@code DELETE /positions/{id}} and {@code DELETE /positions?before=}: erasure of positions by an admin. */
@Path("/positions")
@Produces(MediaType.APPLICATION_JSON)
public class PositionErasureResource {

    private final PositionEraser eraser;
    private final PosflowConfig config;

    PositionErasureResource(PositionEraser eraser, PosflowConfig config) {
        this.eraser = eraser;
        this.config = config;
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
