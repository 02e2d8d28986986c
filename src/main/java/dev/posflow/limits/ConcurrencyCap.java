package dev.posflow.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most so many of one kind of work at once, in total and per caller; one more is refused with 429 and Retry-After.
 * For reads that hold a database connection and an open result for as long as they run (exports, heatmaps).
 */
public final class ConcurrencyCap {

    /** Held while the work runs; {@link #close()} gives it back, once however often it is called. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private final String what;
    private final String totalKey;
    private final String perCallerKey;
    private final int maxTotal;
    private final int maxPerCaller;
    private final int retryAfterSeconds;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perCaller = new ConcurrentHashMap<>();

    /**
     * @param what e.g. "exports", as the refusal names it
     * @param totalKey the configuration key of {@code maxTotal}, named in the refusal
     */
    ConcurrencyCap(String what, String totalKey, int maxTotal, String perCallerKey, int maxPerCaller,
            int retryAfterSeconds) {
        this.what = what;
        this.totalKey = totalKey;
        this.perCallerKey = perCallerKey;
        this.maxTotal = maxTotal;
        this.maxPerCaller = maxPerCaller;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** @throws LimitExceededException (429) when the server or this caller already runs its most */
    public Slot take(String caller) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            throw LimitExceededException.rate("the server runs its most " + what + " at once (" + maxTotal + ", "
                    + totalKey + "); retry later", retryAfterSeconds);
        }
        boolean[] taken = { false };
        perCaller.compute(caller, (key, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerCaller) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            total.decrementAndGet();
            throw LimitExceededException.rate("this caller runs its most " + what + " at once (" + maxPerCaller + ", "
                    + perCallerKey + "); retry when one has ended", retryAfterSeconds);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                perCaller.computeIfPresent(caller, (key, count) -> count <= 1 ? null : count - 1);
                total.decrementAndGet();
            }
        };
    }

    /** Running now, of every caller. */
    public int running() {
        return total.get();
    }
}
