package dev.posflow.store.read;

import java.time.Instant;
import java.util.Optional;

/**
 * A page of history: positions ordered by (sampledAt, id), starting strictly after {@code after} when given.
 *
 * @param from inclusive
 * @param to exclusive
 */
public record HistoryQuery(Optional<String> source, Optional<Instant> from, Optional<Instant> to,
        Optional<Keyset> after, int limit, boolean descending) {

    /** The source and time bounds, without the cursor and order. */
    public PositionFilter filter() {
        return new PositionFilter(source, from, to);
    }

    public HistoryQuery withLimit(int newLimit) {
        return new HistoryQuery(source, from, to, after, newLimit, descending);
    }

    /** The last position of the previous page. */
    public record Keyset(Instant sampledAt, long id) {
    }
}
