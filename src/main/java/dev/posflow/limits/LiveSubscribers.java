package dev.posflow.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.posflow.config.PosflowConfig;

/**
 * Counts live-stream subscribers in total and per caller, and refuses one beyond either bound (429), so that open
 * streams cannot use up the server's connections and memory.
 */
@ApplicationScoped
public class LiveSubscribers {

    /** Seconds a refused client is told to wait: a stream slot frees when any subscriber leaves. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final int maxTotal;
    private final int maxPerCaller;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perCaller = new ConcurrentHashMap<>();

    LiveSubscribers(PosflowConfig config) {
        this.maxTotal = config.live().maxSubscribers();
        this.maxPerCaller = config.live().maxSubscribersPerCaller();
    }

    /** Takes a slot for the caller, to be given back with {@link #release} exactly once, or throws 429. */
    public void take(String caller) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            throw LimitExceededException.rate("the server holds its most live streams (" + maxTotal
                    + ", posflow.live.max-subscribers); retry later", RETRY_AFTER_SECONDS);
        }
        boolean[] taken = {false};
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
            throw LimitExceededException.rate("this caller holds its most live streams (" + maxPerCaller
                    + ", posflow.live.max-subscribers-per-caller); close one first", RETRY_AFTER_SECONDS);
        }
    }

    public void release(String caller) {
        perCaller.computeIfPresent(caller, (key, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }

    /** Open live streams, of every caller. */
    public int total() {
        return total.get();
    }
}
