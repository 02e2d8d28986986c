package dev.posflow.store.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;
import io.quarkus.agroal.DataSource;
import dev.posflow.store.schema.UtcMicrosConverter;

/**
 * Reads latest_positions by source name: pages in name order, the rows of given sources, and what changed since a
 * given time. Every query walks the primary key or idx_latest_positions_changed_at, then reaches each position by
 * uk_positions_kafka (eq_ref).
 * <p>
 * Plain JDBC rather than Hibernate: after a batch of 5,000 sources, entities and a persistence context cost more than
 * the rows themselves, and none of them is ever written back.
 */
@ApplicationScoped
public class LatestReader {

    private static final UtcMicrosConverter TIME = new UtcMicrosConverter();

    private static final String LATEST = "select l.source, timestampdiff(microsecond, '1970-01-01', l.changed_at),"
            + " p.id, p.sampled_at, p.x, p.y, p.received_at, p.kafka_topic, p.kafka_partition, p.kafka_offset"
            + " from latest_positions l join positions p on p.kafka_topic = l.kafka_topic"
            + " and p.kafka_incarnation = l.kafka_incarnation and p.kafka_partition = l.kafka_partition"
            + " and p.kafka_offset = l.kafka_offset";

    /**
     * Every row of latest_positions, with its position when the row it names exists (an operator may have deleted it
     * by hand) and its summary as /sources shows it: what the latest snapshot holds.
     */
    private static final String SNAPSHOT = "select l.source, timestampdiff(microsecond, '1970-01-01', l.changed_at),"
            + " p.id, p.sampled_at, p.x, p.y, p.received_at, p.kafka_topic, p.kafka_partition, p.kafka_offset,"
            + " l.row_count, l.first_sampled_at, l.sampled_at"
            + " from latest_positions l left join positions p on p.kafka_topic = l.kafka_topic"
            + " and p.kafka_incarnation = l.kafka_incarnation and p.kafka_partition = l.kafka_partition"
            + " and p.kafka_offset = l.kafka_offset";

    private static final String SUMMARY = "select l.source, l.row_count, l.first_sampled_at, l.sampled_at"
            + " from latest_positions l";

    /**
     * A source's latest position, instants as the DATETIME(6) text MySQL sends (UTC,
     * {@link PositionRow#DATETIME_LENGTH} characters: how the API writes them is the view's business), and when its
     * row in latest_positions last changed (µs since the epoch).
     */
    public record LatestRow(String source, long changedAt, long id, String sampledAt, int x, int y, String receivedAt,
            String topic, int partition, long offset) {
    }

    /**
     * What is stored of one source: its number of positions, the sampling times (DATETIME(6) text) of its first and
     * last.
     */
    public record SourceRow(String source, long count, String first, String last) {
    }

    /**
     * A row of latest_positions as the snapshot holds it: its latest position (null when the row it names is gone)
     * and its summary.
     */
    public record SnapshotRow(String source, long changedAt, LatestRow latest, SourceRow summary) {
    }

    /** A row of latest_positions that changed: its source and when (µs since the epoch). */
    public record Change(String source, long changedAt) {
    }

    /** The changes since a time, and the database's clock when they were read (before the read). */
    public record Changes(Instant readAt, List<Change> changes) {
    }

    private static final int IN_LIST = 5000;

    private final javax.sql.DataSource dataSource;
    private final Duration timeLimit;

    /** @param dataSource the reads pool, which ingest does not use */
    LatestReader(@DataSource("reads") javax.sql.DataSource dataSource, PosflowConfig config) {
        this.dataSource = dataSource;
        this.timeLimit = config.reads().statementTimeout();
    }

    /** In queries of at most {@value #IN_LIST} sources each: a bounded statement, whatever the caller passes. */
    public List<LatestRow> latestOf(Collection<String> sources) {
        List<Object> all = new ArrayList<>(sources);
        List<LatestRow> rows = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<Object> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
            rows.addAll(query(LATEST + " where l.source in (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                    + ")", chunk, LatestReader::latestRow));
        }
        return rows;
    }

    /** The snapshot's rows of these sources, in queries of at most {@value #IN_LIST} sources each. */
    public List<SnapshotRow> snapshotOf(Collection<String> sources) {
        List<Object> all = new ArrayList<>(sources);
        List<SnapshotRow> rows = new ArrayList<>(all.size());
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<Object> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
            rows.addAll(query(SNAPSHOT + " where l.source in (" + String.join(", ", Collections.nCopies(chunk.size(),
                    "?")) + ")", chunk, LatestReader::snapshotRow));
        }
        return rows;
    }

    /** A page of the snapshot's rows in source order. */
    public List<SnapshotRow> snapshotPage(SourceQuery query) {
        List<Object> parameters = new ArrayList<>();
        String sql = SNAPSHOT + where(query, parameters) + " order by l.source limit " + query.limit();
        return query(sql, parameters, LatestReader::snapshotRow);
    }

    /** A page of latest positions in source order. */
    public List<LatestRow> latestPage(SourceQuery query) {
        List<Object> parameters = new ArrayList<>();
        String sql = LATEST + where(query, parameters) + " order by l.source limit " + query.limit();
        return query(sql, parameters, LatestReader::latestRow);
    }

    /** A page of source summaries (count, first and last sampling time) in source order. */
    public List<SourceRow> sourcePage(SourceQuery query) {
        List<Object> parameters = new ArrayList<>();
        String sql = SUMMARY + where(query, parameters) + " order by l.source limit " + query.limit();
        return query(sql, parameters,
                row -> new SourceRow(row.getString(1), row.getLong(2), PositionRow.datetime(row, 3),
                        PositionRow.datetime(row, 4)));
    }

    /**
     * The rows changed at or after {@code since} but not last by the ingest of {@code notBy} ({@code changed_by};
     * only their source and time: an index-only read). The clock is read first, so that anything it does not return
     * changed at or after {@link Changes#readAt()}, or was not committed yet: whoever asks again must go back a little
     * before readAt for the transactions still open at that time.
     */
    public Changes changedSince(Instant since, long notBy) {
        // one statement, one round trip: one row is the clock, read (NOW is the statement's start) before any row of
        // the table
        List<Change> rows = query("select null, timestampdiff(microsecond, '1970-01-01', now(6)) union all"
                + " select source, timestampdiff(microsecond, '1970-01-01', changed_at) from latest_positions"
                + " where changed_at >= ? and (changed_by is null or changed_by <> ?)",
                List.of(TIME.convertToDatabaseColumn(since), notBy), row -> new Change(row.getString(1), row.getLong(2)));
        long now = 0;
        List<Change> changes = new ArrayList<>(rows.size());
        for (Change row : rows) {
            if (row.source() == null) { // the clock: source is never null in the table
                now = row.changedAt();
            } else {
                changes.add(row);
            }
        }
        return new Changes(Instant.ofEpochSecond(Math.floorDiv(now, 1_000_000L), Math.floorMod(now, 1_000_000L) * 1_000L),
                changes);
    }

    /** The database's clock, which changed_at follows. */
    public Instant now() {
        return query("select cast(now(6) as char)", List.of(), row -> TIME.convertToEntityAttribute(row.getString(1)))
                .get(0);
    }

    private static String where(SourceQuery query, List<Object> parameters) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        query.after().ifPresent(after -> {
            where.append(" and l.source > ?");
            parameters.add(after);
        });
        query.prefix().ifPresent(prefix -> {
            // a constant prefix: an index range, like source >= prefix
            where.append(" and l.source like ? escape '!'");
            parameters.add(prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        });
        if (!query.sources().isEmpty()) {
            where.append(" and l.source in (").append(String.join(", ", Collections.nCopies(query.sources().size(),
                    "?"))).append(")");
            parameters.addAll(query.sources());
        }
        return where.toString();
    }

    private static LatestRow latestRow(ResultSet row) throws SQLException {
        return new LatestRow(row.getString(1), row.getLong(2), row.getLong(3), PositionRow.datetime(row, 4),
                row.getInt(5), row.getInt(6), PositionRow.datetime(row, 7), row.getString(8), row.getInt(9),
                row.getLong(10));
    }

    private static SnapshotRow snapshotRow(ResultSet row) throws SQLException {
        String source = row.getString(1);
        long changedAt = row.getLong(2);
        long id = row.getLong(3);
        LatestRow latest = row.wasNull() ? null : new LatestRow(source, changedAt, id, PositionRow.datetime(row, 4),
                row.getInt(5), row.getInt(6), PositionRow.datetime(row, 7), row.getString(8), row.getInt(9),
                row.getLong(10));
        return new SnapshotRow(source, changedAt, latest,
                new SourceRow(source, row.getLong(11), PositionRow.datetime(row, 12), PositionRow.datetime(row, 13)));
    }

    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> parameters, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        ReadTimeLimit.limit(connection, sql, timeLimit))) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet result = ReadTimeLimit.executeQuery(statement)) {
                List<T> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(mapper.map(result));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw ReadTimedOutException.of("Reading latest_positions", e);
        }
    }
}
