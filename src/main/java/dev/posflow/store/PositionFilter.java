package dev.posflow.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Which positions a read covers: of one source or all, sampled in [from, to). History, the export and the heatmap
 * filter alike; one place renders the conditions and binds their values, so that they cannot drift apart.
 *
 * @param from inclusive
 * @param to exclusive
 */
public record PositionFilter(Optional<String> source, Optional<Instant> from, Optional<Instant> to) {

    private static final UtcMicrosConverter TIME = new UtcMicrosConverter();

    /** Appends {@code and ...} for each bound given, with a placeholder per value (columns of positions). */
    public StringBuilder appendTo(StringBuilder sql) {
        source.ifPresent(s -> sql.append(" and source = ?"));
        from.ifPresent(f -> sql.append(" and sampled_at >= ?"));
        to.ifPresent(t -> sql.append(" and sampled_at < ?"));
        return sql;
    }

    /**
     * Binds the values of {@link #appendTo}'s placeholders from {@code index} on; instants as text (see
     * {@link UtcMicrosConverter}).
     *
     * @return the index of the next placeholder
     */
    public int bind(PreparedStatement statement, int index) throws SQLException {
        if (source.isPresent()) {
            statement.setString(index++, source.get());
        }
        if (from.isPresent()) {
            statement.setString(index++, text(from.get()));
        }
        if (to.isPresent()) {
            statement.setString(index++, text(to.get()));
        }
        return index;
    }

    /** An instant as bound to a DATETIME(6) placeholder. */
    static String text(Instant instant) {
        return TIME.convertToDatabaseColumn(instant);
    }
}
