package dev.posflow.limits;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;

/**
 * The caps on the reads that hold a connection of the reads pool and an open MySQL result for as long as they run, so
 * that they cannot take every connection of that pool, nor the database's time, from history pages and each other.
 */
@ApplicationScoped
public class ReadSlots {

    /** A heatmap ends within seconds; an export may take minutes, but a client that retries often costs little. */
    private static final int RETRY_AFTER_SECONDS = 5;
    /** Database time unused for this long is kept for a burst: a quiet service answers a dashboard's heatmaps at once. */
    private static final Duration HEATMAP_TIME_WINDOW = Duration.ofSeconds(10);

    private final ConcurrencyCap exports;
    private final ConcurrencyCap heatmaps;
    private final DatabaseTimeBudget heatmapTime;

    ReadSlots(PosflowConfig config) {
        this.exports = new ConcurrencyCap("exports", "posflow.export.max-concurrent", config.export().maxConcurrent(),
                "posflow.export.max-concurrent-per-caller", config.export().maxConcurrentPerCaller(),
                RETRY_AFTER_SECONDS);
        this.heatmaps = new ConcurrencyCap("heatmaps", "posflow.heatmap.max-concurrent",
                config.heatmap().maxConcurrent(), "posflow.heatmap.max-concurrent-per-caller",
                config.heatmap().maxConcurrentPerCaller(), RETRY_AFTER_SECONDS);
        this.heatmapTime = new DatabaseTimeBudget("heatmaps", "posflow.heatmap.database-time-share",
                config.heatmap().databaseTimeShare(), HEATMAP_TIME_WINDOW, System::nanoTime);
    }

    public ConcurrencyCap exports() {
        return exports;
    }

    public ConcurrencyCap heatmaps() {
        return heatmaps;
    }

    /** The database time heatmaps may take: checked before each, charged after it. */
    public DatabaseTimeBudget heatmapTime() {
        return heatmapTime;
    }
}
