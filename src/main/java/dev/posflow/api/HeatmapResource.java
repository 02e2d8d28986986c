package dev.posflow.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import dev.posflow.auth.Role;
import dev.posflow.config.PosflowConfig;
import dev.posflow.limits.CallerKey;
import dev.posflow.limits.ConcurrencyCap;
import dev.posflow.limits.ReadSlots;
import dev.posflow.sample.CoordinateRange;
import dev.posflow.store.read.Heatmap;
import dev.posflow.store.read.HeatmapReader;
import dev.posflow.store.read.HistoryQuery;
import dev.posflow.view.HeatmapView;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /positions/heatmap}: positions counted per grid cell by MySQL, over a bounding box: the {@code bbox}
 * parameter ({@code minX,minY,maxX,maxY}, inclusive) within the accepted coordinates (posflow.sample.x-range,
 * y-range), or those coordinates when absent. A box of more than posflow.heatmap.max-cells cells is refused (400)
 * before any query; at most posflow.heatmap.max-concurrent heatmaps run at once, and together they take at most
 * posflow.heatmap.database-time-share of the database's time (429 beyond either).
 */
@Path("/positions/heatmap")
@Produces(MediaType.APPLICATION_JSON)
public class HeatmapResource {

    private final HeatmapReader reader;
    private final ReadSlots slots;
    private final Instance<SecurityIdentity> identity;
    private final CoordinateRange xRange;
    private final CoordinateRange yRange;
    private final int maxCells;

    HeatmapResource(HeatmapReader reader, ReadSlots slots, Instance<SecurityIdentity> identity,
            PosflowConfig config) {
        this.reader = reader;
        this.slots = slots;
        this.identity = identity;
        this.xRange = config.sample().xRange();
        this.yRange = config.sample().yRange();
        this.maxCells = config.heatmap().maxCells();
    }

    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    public HeatmapView heatmap(@QueryParam("source") String source, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cell") String cell, @QueryParam("bbox") String bbox,
            @Context HttpServerRequest request) {
        HistoryQuery range = HistoryParameters.parse(source, from, to, null, null, null);
        int size = cell(cell);
        CoordinateRange[] box = box(bbox);
        slots.heatmapTime().check();
        try (ConcurrencyCap.Slot slot = slots.heatmaps().take(CallerKey.of(identity, request))) {
            long start = System.nanoTime();
            Heatmap counted;
            try {
                counted = reader.count(range.filter(), box[0], box[1], size, maxCells);
            } finally {
                slots.heatmapTime().charge(System.nanoTime() - start);
            }
            return HeatmapView.of(range.source().orElse(null), range.from().map(Object::toString).orElse(null),
                    range.to().map(Object::toString).orElse(null), counted);
        } catch (HeatmapReader.TooManyCellsException e) {
            throw ProblemException.badRequest("'cell' " + size + " is too small for this box: " + e.getMessage()
                    + "; choose a larger 'cell' or a smaller 'bbox' (minX,minY,maxX,maxY)");
        }
    }

    /** The x and y ranges of the grid: the bbox parameter within the accepted coordinates. */
    private CoordinateRange[] box(String bbox) {
        if (bbox == null || bbox.isBlank()) {
            return new CoordinateRange[] { xRange, yRange };
        }
        String[] bounds = bbox.split(",", -1);
        long[] values = new long[4];
        try {
            if (bounds.length != 4) {
                throw new NumberFormatException();
            }
            for (int i = 0; i < 4; i++) {
                values[i] = Long.parseLong(bounds[i].trim());
            }
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("'bbox' is minX,minY,maxX,maxY: four integers, not '" + bbox + "'");
        }
        long minX = Math.max(values[0], xRange.min()), maxX = Math.min(values[2], xRange.max());
        long minY = Math.max(values[1], yRange.min()), maxY = Math.min(values[3], yRange.max());
        if (minX > maxX || minY > maxY) {
            throw ProblemException.badRequest("'bbox' " + bbox + " holds no accepted coordinates (x " + xRange
                    + ", y " + yRange + ") or its minimum is above its maximum");
        }
        return new CoordinateRange[] { new CoordinateRange((int) minX, (int) maxX),
                new CoordinateRange((int) minY, (int) maxY) };
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
