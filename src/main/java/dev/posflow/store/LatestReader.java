package dev.posflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

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

    // CAST to text: the driver would read DATETIME(6) through java.sql types; text keeps the microseconds
    private static final String LATEST = "select l.source, timestampdiff(microsecond, '1970-01-01', l.changed_at),"
            + " p.id, cast(p.sampled_at as char), p.x, p.y, cast(p.received_at as char), p.kafka_topic, p.kafka_partition, p.kafka_offset"
            + " from latest_positions l join positions p on p.kafka_topic = l.kafka_topic"
            + " and p.kafka_partition = l.kafka_partition and p.kafka_offset = l.kafka_offset";

    private static final String SUMMARY = "select l.source, l.row_count, cast(l.first_sampled_at as char),"
            + " cast(l.sampled_at as char) from latest_positions l";

    /** A source's latest position, and when its row in latest_positions last changed (µs since the epoch). */
    public record LatestRow(Position position, long changedAt) {
    }

    /** A row of latest_positions that changed: its source and when (µs since the epoch). */
    public record Change(String source, long changedAt) {
    }

    /** The changes since a time, and the database's clock when they were read (before the read). */
    public record Changes(Instant readAt, List<Change> changes) {
    }

    private final DataSource dataSource;

    LatestReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<LatestRow> latestOf(Collection<String> sources) {
        if (sources.isEmpty()) {
            return List.of();
        }
        String sql = LATEST + " where l.source in (" + String.join(", ", Collections.nCopies(sources.size(), "?"))
                + ")";
        return query(sql, new ArrayList<>(sources), LatestReader::latestRow);
    }

    /** A page of latest positions in source order. */
    public List<LatestRow> latestPage(SourceQuery query) {
        List<Object> parameters = new ArrayList<>();
        String sql = LATEST + where(query, parameters) + " order by l.source limit " + query.limit();
        return query(sql, parameters, LatestReader::latestRow);
    }

    /** A page of source summaries (count, first and last sampling time) in source order. */
    public List<SourceSummary> sourcePage(SourceQuery query) {
        List<Object> parameters = new ArrayList<>();
        String sql = SUMMARY + where(query, parameters) + " order by l.source limit " + query.limit();
        return query(sql, parameters, row -> new SourceSummary(row.getString(1), row.getLong(2),
                TIME.convertToEntityAttribute(row.getString(3)), TIME.convertToEntityAttribute(row.getString(4))));
    }

    /**
     * The rows changed at or after {@code since} (only their source and time: an index-only read). The clock is read
     * first, so that anything it does not return changed at or after {@link Changes#readAt()}, or was not committed
     * yet: whoever asks again must go back a little before readAt for the transactions still open at that time.
     */
    public Changes changedSince(Instant since) {
        try (Connection connection = dataSource.getConnection()) {
            Instant now;
            try (PreparedStatement clock = connection.prepareStatement("select cast(now(6) as char)");
                    ResultSet result = clock.executeQuery()) {
                result.next();
                now = TIME.convertToEntityAttribute(result.getString(1));
            }
            List<Change> changes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("select source,"
                    + " timestampdiff(microsecond, '1970-01-01', changed_at) from latest_positions"
                    + " where changed_at >= ?")) {
                select.setString(1, TIME.convertToDatabaseColumn(since));
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        changes.add(new Change(result.getString(1), result.getLong(2)));
                    }
                }
            }
            return new Changes(now, changes);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the changed latest positions", e);
        }
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
        Position position = new Position();
        position.source = row.getString(1);
        position.id = row.getLong(3);
        position.sampledAt = TIME.convertToEntityAttribute(row.getString(4));
        position.x = row.getInt(5);
        position.y = row.getInt(6);
        position.receivedAt = TIME.convertToEntityAttribute(row.getString(7));
        position.kafka = new KafkaKey();
        position.kafka.topic = row.getString(8);
        position.kafka.partition = row.getInt(9);
        position.kafka.offset = row.getLong(10);
        return new LatestRow(position, row.getLong(2));
    }

    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> parameters, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet result = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(mapper.map(result));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read latest_positions", e);
        }
    }
}
