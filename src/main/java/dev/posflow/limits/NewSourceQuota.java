package dev.posflow.limits;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.posflow.config.PosflowConfig;

/**
 * Bounds the sources one writer can create, since latest_positions and the in-memory latest snapshot grow by one row
 * per source. A source is new when it has no stored position (the caller asks the latest snapshot); each caller may
 * POST samples of at most {@code posflow.publish.max-new-sources-per-writer} new sources. Counted by this instance,
 * in memory: a caller's count starts again a day after its last new source, and on restart. Writing again to a
 * source that has since been stored costs nothing.
 */
@ApplicationScoped
public class NewSourceQuota {

    private static final int MAX_CALLERS = 100_000;

    private final int max;
    private final Cache<String, Set<String>> created = Caffeine.newBuilder()
            .maximumSize(MAX_CALLERS)
            .expireAfterWrite(Duration.ofDays(1))
            .build();

    NewSourceQuota(PosflowConfig config) {
        this.max = config.publish().maxNewSourcesPerWriter();
    }

    /**
     * Counts new sources against the caller, or throws 403 and counts none.
     *
     * @param fresh the sources of a request that have no stored position
     */
    public void admit(String caller, Collection<String> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        Set<String> mine = created.get(caller, key -> new HashSet<>());
        synchronized (mine) {
            Set<String> after = new HashSet<>(mine);
            after.addAll(fresh);
            if (after.size() > max) {
                throw LimitExceededException.quota("this writer may create at most " + max + " new sources "
                        + "(posflow.publish.max-new-sources-per-writer) and has created " + mine.size()
                        + "; samples of existing sources are still taken");
            }
            mine.addAll(fresh);
        }
        created.put(caller, mine); // refreshes expireAfterWrite
    }
}
