package dev.posflow.api;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.logging.Logger;

import dev.posflow.auth.Role;
import dev.posflow.view.ExportFormat;
import dev.posflow.export.PositionExport;
import dev.posflow.store.read.HistoryQuery;
import dev.posflow.limits.CallerKey;
import dev.posflow.limits.ConcurrencyCap;
import dev.posflow.limits.ReadSlots;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /positions/export}: every position of a range, streamed as CSV, NDJSON or GeoJSON. The parameters are
 * checked before the first byte (problem+json); then the rows are written on this worker thread as MySQL streams them,
 * and Quarkus REST's output stream blocks while the client is slower, so memory stays constant. Each export holds a
 * slot of {@link ReadSlots#exports()} (429 beyond) from the request until its last row, and runs at most
 * posflow.export.max-duration.
 */
@Path("/positions/export")
public class ExportResource {

    private static final Logger LOG = Logger.getLogger(ExportResource.class);

    private final PositionExport export;
    private final ReadSlots slots;
    private final Instance<SecurityIdentity> identity;

    ExportResource(PositionExport export, ReadSlots slots, Instance<SecurityIdentity> identity) {
        this.export = export;
        this.slots = slots;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ Role.READER_NAME, Role.ADMIN_NAME })
    @Produces({ "text/csv", "application/x-ndjson", "application/geo+json" })
    public Response export(@QueryParam("format") String format, @QueryParam("source") String source,
            @QueryParam("from") String from, @QueryParam("to") String to, @Context HttpServerRequest request,
            @Context HttpServerResponse response, @Context RoutingContext routing) {
        ExportFormat shape = format == null || format.isBlank() ? ExportFormat.CSV
                : ExportFormat.of(format).orElseThrow(() -> ProblemException.badRequest(
                        "'format' must be 'csv', 'ndjson' or 'geojson', not '" + format + "'"));
        HistoryQuery range = HistoryParameters.parse(source, from, to, null, null, null);
        // taken before the answer starts, so that a refusal can still be a 429
        ConcurrencyCap.Slot slot = slots.exports().take(CallerKey.of(identity, request));
        // given back when the response ends however it ends, also if the body is never written
        routing.addEndHandler(ended -> slot.close());
        StreamingOutput body = out -> {
            try (slot) {
                export.write(shape, range.filter(), new ClientGoneCheck(out, response));
            } catch (IOException | UncheckedIOException e) {
                abort(request);
                throw e;
            }
        };
        return Response.ok(body, shape.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + fileName(shape, range) + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /**
     * Past its first byte an export has no status to fail with: the connection is closed, so that the client sees an
     * incomplete transfer rather than a complete chunked body that looks like the whole file. Quarkus REST ends the
     * response after the exception, and that end writes the last chunk; closing from this worker thread only queues
     * the close on the event loop, so the end could overtake it (ReadLimitsTest saw a complete body on a loaded
     * machine). Waiting for the close leaves nothing for the end to write to.
     */
    private static void abort(HttpServerRequest request) {
        try {
            request.connection().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("Closing the connection of a failed export: %s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Fails the next write once the client has closed the connection. Hand-written because the output stream Quarkus
     * REST hands a StreamingOutput does not fail when the connection is gone while its write queue has room (Vert.x
     * drops the bytes), so the export would read every remaining row from MySQL for nobody (ExportTest saw it).
     */
    private static final class ClientGoneCheck extends FilterOutputStream {

        private final HttpServerResponse response;

        ClientGoneCheck(OutputStream out, HttpServerResponse response) {
            super(out);
            this.response = response;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (response.closed()) {
                throw new IOException("the client has closed the connection");
            }
            out.write(bytes, offset, length);
        }
    }

    /** e.g. positions_JSON_2021-04-10T00-00-00Z_2021-04-11T00-00-00Z.csv: what the file holds, safe on any disk. */
    static String fileName(ExportFormat format, HistoryQuery range) {
        return "positions_" + range.source().orElse("all-sources") + "_" + instant(range.from(), "start") + "_"
                + instant(range.to(), "now") + "." + format.extension();
    }

    private static String instant(Optional<Instant> instant, String otherwise) {
        return instant.map(i -> i.toString().replace(':', '-')).orElse(otherwise);
    }
}
