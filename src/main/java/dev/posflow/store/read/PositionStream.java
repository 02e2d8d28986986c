package dev.posflow.store.read;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.posflow.config.PosflowConfig;
import io.quarkus.agroal.DataSource;

/**
 * Reads positions in (sampledAt, id) order one row at a time, with constant memory however many there are: a
 * forward-only, read-only statement with fetch size {@link Integer#MIN_VALUE} makes Connector/J stream the result set
 * row by row instead of loading it whole (Hibernate and Panache would hold every entity of the session). Outside any
 * transaction, so that a long export is not cut off by the transaction timeout.
 * Each row is handed over as one reused {@link PositionRow}, as history's are: no object per row.
 */
@ApplicationScoped
public class PositionStream {

    /** Receives each row; may fail with an IOException when the client has gone. */
    @FunctionalInterface
    public interface RowSink {
        void accept(PositionRow row) throws IOException;
    }

    // a marker in the SQL text: an operator (and a test) sees an export in the process list
    private static final String SELECT = "select /* posflow-export */ " + PositionRow.COLUMNS
            + " from positions where 1 = 1";

    private static final Logger LOG = Logger.getLogger(PositionStream.class);

    private final javax.sql.DataSource dataSource;
    private final Duration timeLimit;

    /** @param dataSource the reads pool, which ingest does not use */
    PositionStream(@DataSource("reads") javax.sql.DataSource dataSource, PosflowConfig config) {
        this.dataSource = dataSource;
        this.timeLimit = config.export().maxDuration();
    }

    /**
     * Hands every row of the range to the sink, in order. If the sink fails (the client disconnected), the query is
     * killed on the server before the result set is closed: closing a streaming result set otherwise reads every
     * remaining row first, holding the connection and the server's work for as long.
     *
     * @return the number of rows handed over
     */
    public long forEach(PositionFilter filter, RowSink sink)
            throws IOException, SQLException {
        StringBuilder sql = filter.appendTo(new StringBuilder(SELECT)).append(" order by sampled_at, id");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        ReadTimeLimit.limit(connection, sql.toString(), timeLimit), ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY)) {
            select.setFetchSize(Integer.MIN_VALUE);
            long session = sessionId(connection);
            filter.bind(select, 1);
            long rows = 0;
            boolean complete = false;
            ResultSet result = ReadTimeLimit.executeQuery(select);
            PositionRow row = new PositionRow();
            try {
                while (result.next()) {
                    row.read(result);
                    sink.accept(row);
                    rows++;
                }
                complete = true;
                return rows;
            } finally {
                if (!complete) {
                    killQuery(session);
                }
                try {
                    result.close();
                } catch (SQLException e) {
                    // the cancelled query's remainder: nothing to keep
                    if (complete) {
                        throw e;
                    }
                }
            }
        }
    }

    private static long sessionId(Connection connection) throws SQLException {
        try (PreparedStatement id = connection.prepareStatement("select connection_id()");
                ResultSet result = id.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Stops the export's query on the server, from another connection. Statement.cancel() cannot: Connector/J ignores
     * it once executeQuery has returned, which for a streaming result set is at its first row. KILL QUERY ends the
     * statement only; the session stays usable and goes back to the pool. A user may always kill its own queries.
     */
    private void killQuery(long session) {
        try (Connection other = dataSource.getConnection();
                PreparedStatement kill = other.prepareStatement("kill query " + session)) {
            kill.execute();
        } catch (SQLException e) {
            // the remaining rows are then read to their end when the result set closes: slower, still correct
            LOG.debugf("The abandoned export's query could not be killed: %s", e);
        }
    }
}
