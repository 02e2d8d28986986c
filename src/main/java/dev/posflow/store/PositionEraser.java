package dev.posflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Deletes positions in bounded transactions of at most {@code chunk} rows each, so that no lock is held for long and
 * ingest keeps running, and keeps {@code latest_positions} right in the same transaction as each chunk's rows:
 * <ul>
 * <li>{@code row_count} is decreased by the rows actually deleted (a count, not a recount: ingest adds its own rows to
 * the same column concurrently, and a recount read while its batch is uncommitted would drop them);</li>
 * <li>{@code first_sampled_at} and the latest row are read again from the rows that remain (uncommitted rows of a
 * concurrent batch are added by ingest's own upsert, which takes the least and the newest, after this commits);</li>
 * <li>a source none of whose rows remain loses its latest row.</li>
 * </ul>
 * Each transaction fires {@link PositionsErased}. Plain JDBC for the same reason as {@link IngestWriter}: a chunk is
 * one statement per source, not an entity per row.
 */
@ApplicationScoped
public class PositionEraser {

    /** Why rows are deleted, the tag of counter posflow.positions.deleted. */
    public enum Cause {
        /** by an admin's request */
        ERASED,
        /** by the retention policy */
        PURGED
    }

    /** Which rows, and which sources they may belong to. */
    private record Selection(String where, List<Object> parameters) {
    }

    private static final UtcMicrosConverter TIME = new UtcMicrosConverter();

    private static final int DEADLOCK_RETRIES = 5;

    private final DataSource dataSource;
    private final Event<PositionsErased> erased;
    private final Map<Cause, Counter> deleted = new TreeMap<>();

    PositionEraser(DataSource dataSource, Event<PositionsErased> erased, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.erased = erased;
        for (Cause cause : Cause.values()) {
            deleted.put(cause, Counter.builder("posflow.positions.deleted")
                    .tag("cause", cause.name().toLowerCase(Locale.ROOT))
                    .description("Rows deleted from positions, by erasure requests or the retention policy")
                    .register(registry));
        }
    }

    /** @return 1 if the row existed, else 0 */
    public long eraseById(long id, int chunk) {
        return erase(new Selection("id = ?", List.of(id)), chunk, Cause.ERASED);
    }

    /** Every row of the source (all sources when empty) sampled before {@code before}. */
    public long eraseBefore(Optional<String> source, Instant before, int chunk, Cause cause) {
        String at = TIME.convertToDatabaseColumn(before);
        return erase(source.map(s -> new Selection("source = ? and sampled_at < ?", List.<Object> of(s, at)))
                .orElseGet(() -> new Selection("sampled_at < ?", List.of(at))), chunk, cause);
    }

    /**
     * Every row of the source and its latest row, counts included.
     *
     * @return the rows deleted, or empty if the source had neither rows nor a latest row
     */
    public Optional<Long> eraseSource(String source, int chunk) {
        long rows = erase(new Selection("source = ?", List.of(source)), chunk, Cause.ERASED);
        // a latest row whose positions were deleted by hand before goes too
        boolean hadLatest = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement delete = connection.prepareStatement(
                            "delete from latest_positions where source = ? and not exists"
                                    + " (select 1 from positions where source = ?)")) {
                delete.setString(1, source);
                delete.setString(2, source);
                boolean deleted = delete.executeUpdate() > 0;
                if (deleted) {
                    erased.fire(new PositionsErased(Set.of(source), 0));
                }
                return deleted;
            }
        });
        return rows > 0 || hadLatest ? Optional.of(rows) : Optional.empty();
    }

    private long erase(Selection selection, int chunk, Cause cause) {
        long total = 0;
        while (true) {
            long[] selectedAndDeleted = withDeadlockRetry(() -> QuarkusTransaction.requiringNew()
                    .call(() -> eraseChunk(selection, chunk)));
            deleted.get(cause).increment(selectedAndDeleted[1]);
            total += selectedAndDeleted[1];
            if (selectedAndDeleted[0] < chunk) {
                return total;
            }
        }
    }

    private static long[] withDeadlockRetry(java.util.concurrent.Callable<long[]> transaction) {
        for (int attempt = 1;; attempt++) {
            try {
                return transaction.call();
            } catch (Exception e) {
                if (attempt >= DEADLOCK_RETRIES || !isDeadlock(e)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
    }

    private static boolean isDeadlock(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransactionRollbackException) {
                return true;
            }
        }
        return false;
    }

    /**
     * One transaction: up to {@code chunk} rows, then the summaries of their sources.
     *
     * @return the rows selected, and those deleted (fewer if another transaction deleted some meanwhile)
     */
    private long[] eraseChunk(Selection selection, int chunk) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, List<Long>> idsBySource = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select id, source from positions where " + selection.where() + " limit ?")) {
                int index = bind(select, selection.parameters());
                select.setInt(index, chunk);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        idsBySource.computeIfAbsent(result.getString(2), s -> new ArrayList<>()).add(result.getLong(1));
                    }
                }
            }
            if (idsBySource.isEmpty()) {
                return new long[] { 0, 0 };
            }
            // sources in order, like ingest's upsert of latest_positions, against lock-order deadlocks
            long selected = idsBySource.values().stream().mapToLong(List::size).sum();
            long rows = 0;
            for (Map.Entry<String, List<Long>> source : idsBySource.entrySet()) {
                long deleted = deleteIds(connection, source.getValue());
                rows += deleted;
                summarise(connection, source.getKey(), deleted);
            }
            erased.fire(new PositionsErased(idsBySource.keySet(), rows));
            return new long[] { selected, rows };
        }
    }

    private static long deleteIds(Connection connection, List<Long> ids) throws SQLException {
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from positions where id in (" + placeholders + ")")) {
            bind(delete, new ArrayList<>(ids));
            return delete.executeUpdate();
        }
    }

    /** Subtracts what was deleted, then reads the first time and the latest row again from what remains. */
    private static void summarise(Connection connection, String source, long deleted) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "update latest_positions set row_count = greatest(row_count - ?, 0) where source = ?")) {
            lock.setLong(1, deleted);
            lock.setString(2, source);
            lock.executeUpdate();
        }
        try (PreparedStatement newest = connection.prepareStatement("select cast(sampled_at as char), kafka_topic,"
                + " kafka_partition, kafka_offset, kafka_incarnation from positions where source = ?"
                + " order by sampled_at desc, id desc limit 1")) {
            newest.setString(1, source);
            try (ResultSet row = newest.executeQuery()) {
                if (!row.next()) {
                    try (PreparedStatement delete = connection.prepareStatement(
                            "delete from latest_positions where source = ?")) {
                        delete.setString(1, source);
                        delete.executeUpdate();
                    }
                    return;
                }
                try (PreparedStatement update = connection.prepareStatement("update latest_positions set"
                        + " sampled_at = ?, kafka_topic = ?, kafka_partition = ?, kafka_offset = ?, kafka_incarnation = ?,"
                        + " first_sampled_at = (select min(sampled_at) from positions where source = ?)"
                        + " where source = ?")) {
                    update.setString(1, row.getString(1));
                    update.setString(2, row.getString(2));
                    update.setInt(3, row.getInt(3));
                    update.setLong(4, row.getLong(4));
                    update.setInt(5, row.getInt(5));
                    update.setString(6, source);
                    update.setString(7, source);
                    update.executeUpdate();
                }
            }
        }
    }

    private static int bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        int index = 1;
        for (Object parameter : parameters) {
            statement.setObject(index++, parameter);
        }
        return index;
    }
}
