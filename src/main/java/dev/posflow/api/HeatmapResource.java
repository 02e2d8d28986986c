package dev.posflow.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.posflow.auth.Role;
import dev.posflow.store.HeatmapReader;
import dev.posflow.store.HistoryQuery;
import dev.posflow.view.HeatmapView;

/** {@code GET /positions/heatmap}: positions counted per grid cell by MySQL. */
@Path("/positions/heatmap")
@Produces(MediaType.APPLICATION_JSON)
public class HeatmapResource {

    /** At most this many non-empty cells in one answer (a 100 × 100 grid); beyond it 400, choose larger cells. */
    static final int MAX_CELLS = 10_000;

    private final HeatmapReader reader;

    HeatmapResource(HeatmapReader reader) {
        this.reader = reader;
    }

    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    public HeatmapView heatmap(@QueryParam("source") String source, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cell") String cell) {
        HistoryQuery range = HistoryParameters.parse(source, from, to, null, null, null);
        int size = cell(cell);
        try {
            return HeatmapView.of(range.source().orElse(null), range.from().map(Object::toString).orElse(null),
                    range.to().map(Object::toString).orElse(null),
                    reader.count(range.filter(), size, MAX_CELLS));
        } catch (HeatmapReader.TooManyCellsException e) {
            throw ProblemException.badRequest("'cell' " + size + " is too small for this range: " + e.getMessage());
        }
    }

    private static int cell(String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("'cell' is required: the side of a grid cell in coordinate units, "
                    + "a positive integer");
        }
        try {
            int size = Integer.parseInt(value.trim());
            if (size >= 1) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("'cell' must be a positive integer (coordinate units), not '" + value + "'");
    }
}
