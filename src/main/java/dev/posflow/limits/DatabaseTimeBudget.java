package dev.posflow.limits;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How much of the database's time one kind of read may take: {@code share} seconds of run time per second of wall
 * clock, over every caller of this instance (0.25 is a quarter of one database core). A read may start while the
 * budget is positive and is charged afterwards with the time it took; while the budget is spent, the next is refused
 * with 429 and a Retry-After of the time it takes to earn the debt back. Unused time accumulates up to
 * {@code share × window}, so a quiet service answers a burst at once.
 * <p>
 * The concurrency caps bound how many such reads hold connections; they cannot bound the database's CPU, which a
 * steady stream of one-at-a-time heatmaps takes from ingest just the same (issue 16 measured ingest at 0.36 × its rate
 * under 20 heatmap clients within a cap of 4). Written here rather than with resilience4j's limiter (as
 * {@link PostRateLimit} is): that limiter hands out a number of permits before the work, whereas this is charged
 * after it with a duration known only then.
 */
public final class DatabaseTimeBudget {

    private final String what;
    private final String key;
    private final double share;
    private final long maxBalanceNanos;
    private final LongSupplier nanoClock;
    private long balanceNanos;
    private long updatedAt;

    /**
     * @param what e.g. "heatmaps", as the refusal names them
     * @param key the configuration key of {@code share}, named in the refusal
     */
    public DatabaseTimeBudget(String what, String key, double share, Duration window, LongSupplier nanoClock) {
        if (!(share > 0)) {
            throw new IllegalArgumentException(key + " must be above 0, not " + share);
        }
        this.what = what;
        this.key = key;
        this.share = share;
        this.maxBalanceNanos = (long) (window.toNanos() * share);
        this.nanoClock = nanoClock;
        this.balanceNanos = maxBalanceNanos;
        this.updatedAt = nanoClock.getAsLong();
    }

    /** @throws LimitExceededException (429) while the time already taken exceeds the share */
    public synchronized void check() {
        earn();
        if (balanceNanos <= 0) {
            int retryAfter = (int) Math.ceil(-balanceNanos / share / 1e9);
            throw LimitExceededException.rate(what + " have taken their share of the database's time (" + share
                    + " s per second, " + key + "); retry in " + Math.max(1, retryAfter) + " s", retryAfter);
        }
    }

    /** Counts a read that took this long against the budget. */
    public synchronized void charge(long nanos) {
        earn();
        balanceNanos -= Math.max(0, nanos);
    }

    private void earn() {
        long now = nanoClock.getAsLong();
        balanceNanos = Math.min(maxBalanceNanos, balanceNanos + (long) ((now - updatedAt) * share));
        updatedAt = now;
    }
}
