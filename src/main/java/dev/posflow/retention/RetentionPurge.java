package dev.posflow.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.posflow.config.PosflowConfig;
import dev.posflow.store.erase.PositionEraser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Purges positions older than {@code posflow.retention.max-age}, every {@code posflow.retention.interval}, in
 * transactions of {@code posflow.retention.batch-size} rows ({@link PositionEraser}: no lock held long, /sources kept
 * right). One instance at a time: the purge holds a MySQL named lock ({@code GET_LOCK}) on a connection of its own for
 * as long as it runs; an instance that finds it taken skips its turn, says so at INFO with the holder's connection id,
 * and counts it ({@code posflow_retention_skipped_total}). The lock's name carries the database's
 * ({@code posflow-retention:<database>}): the posflows of one database take turns, those of other databases on the
 * same server, and whatever else shares it, do not block them with a lock of the same name. Named locks are
 * server-wide and need no privilege, so a user who sets out to block the purge still can (docs/security.md). The
 * lock belongs to the session, so an instance killed mid-purge leaves none behind. (Quarkus's clustered scheduler
 * would need a job store in the database, its own tables, for one lock.)
 */
@ApplicationScoped
public class RetentionPurge {

    /**
     * The lock's name, as SQL: per database, and within MySQL's 64 characters (a longer database name is cut, which
     * only two databases sharing their first 46 characters would notice).
     */
    public static final String LOCK = "left(concat('posflow-retention:', database()), 64)";

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final DataSource dataSource;
    private final PositionEraser eraser;
    private final PosflowConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Counter skipped;

    RetentionPurge(DataSource dataSource, PositionEraser eraser, PosflowConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.eraser = eraser;
        this.config = config;
        this.skipped = Counter.builder("posflow.retention.skipped")
                .description("Purges skipped because another session held the retention lock").register(registry);
    }

    @Scheduled(every = "${posflow.retention.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        Optional<Duration> maxAge = config.retention().maxAge();
        if (maxAge.isEmpty()) {
            return;
        }
        try {
            purgeOlderThan(maxAge.get());
        } catch (RuntimeException e) {
            LOG.warnf("Retention purge failed, the next one (in %s) resumes it: %s", config.retention().interval(), e);
        }
    }

    /**
     * Deletes every position sampled more than {@code maxAge} ago.
     *
     * @return the rows deleted, or empty if another instance (any session holding the lock) is purging
     */
    public OptionalLong purgeOlderThan(Duration maxAge) {
        Instant cutoff = Instant.now(clock).minus(maxAge).truncatedTo(ChronoUnit.MICROS);
        try (Connection lockHolder = dataSource.getConnection()) {
            if (!lock(lockHolder)) {
                skipped.increment();
                LOG.infof("Retention purge skipped: its lock %s is held by connection %s (another posflow purging,"
                        + " or a session to look at if this repeats)", lockName(lockHolder), holder(lockHolder));
                return OptionalLong.empty();
            }
            try {
                long rows = eraser.eraseBefore(Optional.empty(), cutoff, config.retention().batchSize(),
                        PositionEraser.Cause.PURGED);
                if (rows > 0) {
                    LOG.infof("Retention purge: %d positions sampled before %s deleted", rows, cutoff);
                }
                return OptionalLong.of(rows);
            } finally {
                release(lockHolder);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Retention purge could not take its lock", e);
        }
    }

    private static boolean lock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select get_lock(" + LOCK + ", 0)");
                ResultSet result = lock.executeQuery()) {
            return result.next() && result.getInt(1) == 1;
        }
    }

    private static String lockName(Connection connection) throws SQLException {
        return scalar(connection, "select " + LOCK);
    }

    /** The connection id (SHOW PROCESSLIST's Id) of the session holding the lock, or null if it was just freed. */
    private static String holder(Connection connection) throws SQLException {
        return scalar(connection, "select is_used_lock(" + LOCK + ")");
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            return result.next() ? result.getString(1) : null;
        }
    }

    private static void release(Connection connection) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("select release_lock(" + LOCK + ")")) {
            release.executeQuery().close();
        }
    }
}
