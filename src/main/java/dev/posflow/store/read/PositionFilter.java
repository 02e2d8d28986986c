package dev.posflow.store.read;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import dev.posflow.store.schema.UtcMicrosConverter;

/**
 * Which positions a read covers: of one source or all, sampled in [from, to). History, the export and the heatmap
 * filter alike; one place renders the conditions and binds their values, so that they cannot drift apart.
 *
 * @param from inclusive
 * @param to exclusive
 */
public record PositionFilter(Optional<String> source, Optional<Instant> from, Optional<Instant> to) {

    private static final UtcMicrosConverter TIME = new UtcMicrosConverter();
    private static final Instant FIRST_DATETIME = Instant.parse("1000-01-01T00:00:00Z");
    private static final Instant AFTER_LAST_DATETIME = Instant.parse("+10000-01-01T00:00:00Z");

    /** Appends {@code and ...} for each bound given, with a placeholder per value (columns of positions). */
    public StringBuilder appendTo(StringBuilder sql) {
        source.ifPresent(s -> sql.append(" and source = ?"));
        boundFrom().ifPresent(f -> sql.append(" and sampled_at >= ?"));
        boundTo().ifPresent(t -> sql.append(" and sampled_at < ?"));
        if (empty()) {
            sql.append(" and 1 = 0");
        }
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
        if (boundFrom().isPresent()) {
            statement.setString(index++, text(boundFrom().get()));
        }
        if (boundTo().isPresent()) {
            statement.setString(index++, text(boundTo().get()));
        }
        return index;
    }

    // A bound outside what DATETIME(6) holds (years 1000 to 9999) is no condition, or an empty range, rather than a
    // value MySQL 8 refuses ("Incorrect DATETIME value") where MariaDB only warned
    private Optional<Instant> boundFrom() {
        return from.filter(f -> f.isAfter(FIRST_DATETIME) && f.isBefore(AFTER_LAST_DATETIME));
    }

    private Optional<Instant> boundTo() {
        return to.filter(t -> t.isAfter(FIRST_DATETIME) && t.isBefore(AFTER_LAST_DATETIME));
    }

    private boolean empty() {
        return from.filter(f -> !f.isBefore(AFTER_LAST_DATETIME)).isPresent()
                || to.filter(t -> !t.isAfter(FIRST_DATETIME)).isPresent();
    }

    /** An instant as bound to a DATETIME(6) placeholder. */
    static String text(Instant instant) {
        return TIME.convertToDatabaseColumn(instant);
    }
}
