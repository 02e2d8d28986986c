package dev.posflow.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.store.read.PositionFilter;
import dev.posflow.store.read.PositionStream;
import dev.posflow.view.ExportFormat;

/**
 * Writes the positions of a range to an output stream in one of the {@link ExportFormat}s, row by row as MySQL
 * streams them: memory stays constant however long the range.
 */
@ApplicationScoped
public class PositionExport {

    private static final Logger LOG = Logger.getLogger(PositionExport.class);

    // what Vert.x takes in one write: fewer, larger writes than one per row, and a bound on what is held
    private static final int BUFFER = 64 * 1024;

    private final PositionStream stream;
    private final ObjectMapper json;

    PositionExport(PositionStream stream, ObjectMapper json) {
        this.stream = stream;
        this.json = json;
    }

    /** @return the rows written; an IOException means the client went away, and the query was cancelled */
    public long write(ExportFormat format, PositionFilter filter, OutputStream target) throws IOException {
        // the generator hands over its own buffer of a few KB at a time: a lock per call here costs nothing
        OutputStream buffered = new BufferedOutputStream(target, BUFFER);
        ExportFormat.Encoder out = format.open(buffered, json.getFactory());
        long rows;
        try {
            rows = stream.forEach(filter, out::row);
        } catch (SQLException e) {
            // after the first byte there is no status to answer with: the response ends short
            throw new UncheckedIOException(new IOException("The export failed after it had started", e));
        } catch (IOException e) {
            LOG.debugf("Export ended early, the client has gone: %s", e);
            throw e;
        }
        out.finish();
        buffered.flush();
        return rows;
    }
}
