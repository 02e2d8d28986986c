package dev.posflow.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.auth.Role;
import dev.posflow.store.read.HistoryQuery;
import dev.posflow.store.read.PositionReader;
import dev.posflow.view.PageView;
import dev.posflow.view.PositionJson;
import dev.posflow.view.PositionView;

/** {@code GET /positions} (a page of history) and {@code GET /positions/{id}} (one position). */
@Path("/positions")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private final PositionReader reader;
    private final ObjectMapper json;

    HistoryResource(PositionReader reader, ObjectMapper json) {
        this.reader = reader;
        this.json = json;
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
        return json(ROW_BYTES, out -> {
            if (!reader.byId(key, new PositionJson(out)::write)) {
                throw ProblemException.notFound("no position with id " + id);
            }
        });
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

}
