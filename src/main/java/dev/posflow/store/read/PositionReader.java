package dev.posflow.store.read;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;
import io.quarkus.agroal.DataSource;

/**
 * The read side of the store: history pages and single positions. Every query walks an index: see docs for the plans.
 * <p>
 * Plain JDBC, each row handed over as a reused {@link PositionRow} and outside any transaction (one autocommitted
 * statement needs none): through Panache, a 1,000-row page cost about 22 µs a row in entities, instants and views
 * (issue 11), and GET /positions/{id} answered 0.47–0.78 × as many requests a second at one connection as it does
 * here, 0.73–0.86 × at 16 (docs/performance.md, "What goes through Panache").
 */
@ApplicationScoped
public class PositionReader {

    /** Receives each row; the row is valid only during the call. */
    @FunctionalInterface
    public interface RowSink {
        void accept(PositionRow row) throws IOException;
    }

    private static final String SELECT = "select " + PositionRow.COLUMNS + " from positions";

    private final javax.sql.DataSource dataSource;
    private final Duration timeLimit;

    /** @param dataSource the reads pool, which ingest does not use */
    PositionReader(@DataSource("reads") javax.sql.DataSource dataSource, PosflowConfig config) {
        this.dataSource = dataSource;
        this.timeLimit = config.reads().statementTimeout();
    }

    /**
     * Hands at most {@code query.limit()} positions to the sink, in order.
     *
     * @return the keyset of the next page when more positions follow
     */
    public Optional<HistoryQuery.Keyset> history(HistoryQuery query, RowSink sink) throws IOException {
        return select("The history page", sql(query), statement -> bind(statement, query), result -> {
            PositionRow row = new PositionRow();
            int rows = 0;
            while (result.next()) {
                if (rows == query.limit()) {
                    // the one more than asked: a next page exists
                    return Optional.of(new HistoryQuery.Keyset(row.sampledAtInstant(), row.id()));
                }
                row.read(result);
                sink.accept(row);
                rows++;
            }
            return Optional.empty();
        });
    }

    /**
     * Hands the position with this id to the sink, if there is one. On the reads pool with the reads' time limit, like
     * every REST read: a burst of these does not take connections from ingest.
     *
     * @return false when no position has this id
     */
    public boolean byId(long id, RowSink sink) throws IOException {
        return select("The position", SELECT + " where id = ?", statement -> statement.setLong(1, id), result -> {
            if (!result.next()) {
                return false;
            }
            PositionRow row = new PositionRow();
            row.read(result);
            sink.accept(row);
            return true;
        });
    }

    private interface Parameters {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private interface Rows<T> {
        T read(ResultSet result) throws SQLException, IOException;
    }

    /** One SELECT on a connection of the reads pool, under the reads' time limit. */
    private <T> T select(String what, String sql, Parameters parameters, Rows<T> rows) throws IOException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        ReadTimeLimit.limit(connection, sql, timeLimit))) {
            parameters.bind(statement);
            try (ResultSet result = ReadTimeLimit.executeQuery(statement)) {
                return rows.read(result);
            }
        } catch (SQLException e) {
            throw ReadTimedOutException.of(what, e);
        }
    }

    /** The SQL of a history page, as {@link #history} runs it (the benchmark's JDBC client runs the same). */
    public static String sql(HistoryQuery query) {
        StringBuilder sql = query.filter().appendTo(new StringBuilder(SELECT).append(" where 1 = 1"));
        if (query.after().isPresent()) {
            // written so that the leading sampled_at bound opens an index range
            sql.append(query.descending()
                    ? " and sampled_at <= ? and (sampled_at < ? or id < ?)"
                    : " and sampled_at >= ? and (sampled_at > ? or id > ?)");
        }
        String direction = query.descending() ? " desc" : "";
        // one more than asked tells whether a next page exists without a count
        return sql.append(" order by sampled_at").append(direction).append(", id").append(direction)
                .append(" limit ").append(query.limit() + 1).toString();
    }

    private static void bind(PreparedStatement select, HistoryQuery query) throws SQLException {
        int index = query.filter().bind(select, 1);
        if (query.after().isPresent()) {
            String at = PositionFilter.text(query.after().get().sampledAt());
            select.setString(index++, at);
            select.setString(index++, at);
            select.setLong(index, query.after().get().id());
        }
    }
}
