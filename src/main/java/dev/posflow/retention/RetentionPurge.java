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
import dev.posflow.store.PositionEraser;
import io.quarkus.scheduler.Scheduled;

/**
 * Purges positions older than {@code posflow.retention.max-age}, every {@code posflow.retention.interval}, in
 * transactions of {@code posflow.retention.batch-size} rows ({@link PositionEraser}: no lock held long, /sources kept
 * right). One instance at a time: the purge holds MySQL's named lock {@code posflow-retention} ({@code GET_LOCK}) on a
 * connection of its own for as long as it runs; an instance that finds it taken skips its turn. The lock belongs to
 * the session, so an instance killed mid-purge leaves none behind. (Quarkus's clustered scheduler would need a job
 * store in the database, its own tables, for one lock.)
 */
@ApplicationScoped
public class RetentionPurge {

    public static final String LOCK = "posflow-retention";

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final DataSource dataSource;
    private final PositionEraser eraser;
    private final PosflowConfig config;
    private final Clock clock = Clock.systemUTC();

    RetentionPurge(DataSource dataSource, PositionEraser eraser, PosflowConfig config) {
        this.dataSource = dataSource;
        this.eraser = eraser;
        this.config = config;
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
                LOG.debugf("Retention purge skipped: another instance holds lock %s", LOCK);
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
        try (PreparedStatement lock = connection.prepareStatement("select get_lock(?, 0)")) {
            lock.setString(1, LOCK);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getInt(1) == 1;
            }
        }
    }

    private static void release(Connection connection) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("select release_lock(?)")) {
            release.setString(1, LOCK);
            release.executeQuery().close();
        }
    }
}
