package dev.posflow.store.erase;

import java.sql.SQLTransactionRollbackException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.TypedQuery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import dev.posflow.store.schema.KafkaKey;
import dev.posflow.store.schema.LatestPosition;
import dev.posflow.store.schema.Position;

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
 * Each transaction fires {@link PositionsErased}. Through Panache ({@link Position}, {@link LatestPosition}): a chunk
 * is a handful of bulk statements (ids selected, deleted by id, the source's summary updated), the same SQL that plain
 * JDBC ran, and no entity per deleted row.
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

    private static final int DEADLOCK_RETRIES = 5;

    private final Event<PositionsErased> erased;
    private final Map<Cause, Counter> deleted = new TreeMap<>();

    PositionEraser(Event<PositionsErased> erased, MeterRegistry registry) {
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
        return erase(new Selection("id = ?1", List.of(id)), chunk, Cause.ERASED);
    }

    /** Every row of the source (all sources when empty) sampled before {@code before}. */
    public long eraseBefore(Optional<String> source, Instant before, int chunk, Cause cause) {
        return erase(source.map(s -> new Selection("source = ?1 and sampledAt < ?2", List.<Object> of(s, before)))
                .orElseGet(() -> new Selection("sampledAt < ?1", List.of(before))), chunk, cause);
    }

    /**
     * Every row of the source and its latest row, counts included.
     *
     * @return the rows deleted, or empty if the source had neither rows nor a latest row
     */
    public Optional<Long> eraseSource(String source, int chunk) {
        long rows = erase(new Selection("source = ?1", List.of(source)), chunk, Cause.ERASED);
        // a latest row whose positions were deleted by hand before goes too
        boolean hadLatest = QuarkusTransaction.requiringNew().call(() -> {
            boolean deleted = LatestPosition.getEntityManager().createQuery("delete from LatestPosition l"
                    + " where l.source = ?1 and not exists (select 1 from Position p where p.source = ?1)")
                    .setParameter(1, source).executeUpdate() > 0;
            if (deleted) {
                erased.fire(new PositionsErased(Set.of(source), 0));
            }
            return deleted;
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
    private long[] eraseChunk(Selection selection, int chunk) {
        TypedQuery<Object[]> select = Position.getEntityManager().createQuery(
                "select p.id, p.source from Position p where " + selection.where(), Object[].class);
        for (int i = 0; i < selection.parameters().size(); i++) {
            select.setParameter(i + 1, selection.parameters().get(i));
        }
        Map<String, List<Long>> idsBySource = new TreeMap<>();
        for (Object[] row : select.setMaxResults(chunk).getResultList()) {
            idsBySource.computeIfAbsent((String) row[1], s -> new ArrayList<>()).add((Long) row[0]);
        }
        if (idsBySource.isEmpty()) {
            return new long[] { 0, 0 };
        }
        // sources in order, like ingest's upsert of latest_positions, against lock-order deadlocks
        long selected = idsBySource.values().stream().mapToLong(List::size).sum();
        long rows = 0;
        for (Map.Entry<String, List<Long>> source : idsBySource.entrySet()) {
            long deleted = Position.delete("id in ?1", source.getValue());
            rows += deleted;
            summarise(source.getKey(), deleted);
        }
        erased.fire(new PositionsErased(idsBySource.keySet(), rows));
        return new long[] { selected, rows };
    }

    /** Subtracts what was deleted, then reads the first time and the latest row again from what remains. */
    private static void summarise(String source, long deleted) {
        // a count, not a recount, and the row locked for what follows (see the class comment)
        // changedBy null: every instance's refresh reads the change, the instances that ingested the source included
        LatestPosition.update("rowCount = case when rowCount > ?1 then rowCount - ?1 else 0 end, changedBy = null"
                + " where source = ?2", deleted, source);
        Optional<Position> newest = Position.<Position> find("source", Sort.descending("sampledAt", "id"), source)
                .firstResultOptional();
        if (newest.isEmpty()) {
            LatestPosition.delete("source", source);
            return;
        }
        Instant first = Position.<Position> find("source", Sort.ascending("sampledAt", "id"), source)
                .firstResult().sampledAt;
        KafkaKey kafka = newest.get().kafka;
        LatestPosition.update("sampledAt = ?1, kafka.topic = ?2, kafka.partition = ?3, kafka.offset = ?4,"
                + " kafka.incarnation = ?5, firstSampledAt = ?6 where source = ?7", newest.get().sampledAt,
                kafka.topic, kafka.partition, kafka.offset, kafka.incarnation, first, source);
    }
}
