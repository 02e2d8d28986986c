package dev.posflow.limits;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.posflow.config.PosflowConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

/**
 * At most {@code posflow.publish.rate-limit} samples per {@code posflow.publish.rate-period} from one caller over
 * POST; beyond it 429 with Retry-After, before anything is published, so a flooding client cannot fill the outgoing
 * buffer that the sampler and every other writer share. One resilience4j limiter per caller, held while the caller
 * is active (Caffeine forgets a limiter idle for ten periods, and keeps at most 100,000 callers).
 */
@ApplicationScoped
public class PostRateLimit {

    private static final int MAX_CALLERS = 100_000;

    private final RateLimiterConfig limiterConfig;
    private final Cache<String, RateLimiter> limiters;
    private final int limit;

    PostRateLimit(PosflowConfig config) {
        this.limit = config.publish().rateLimit();
        Duration period = config.publish().ratePeriod();
        this.limiterConfig = RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO) // never wait: answer 429 at once
                .build();
        this.limiters = Caffeine.newBuilder()
                .maximumSize(MAX_CALLERS)
                .expireAfterAccess(period.multipliedBy(10))
                .build();
    }

    /** Takes one permit per sample, or throws a 429 problem naming when to come back. */
    public void admit(String caller, int samples) {
        RateLimiter limiter = limiters.get(caller, key -> RateLimiter.of(key, limiterConfig));
        if (limiter.acquirePermission(Math.min(samples, limit))) {
            return;
        }
        long nanosToWait = limiter instanceof AtomicRateLimiter atomic
                ? atomic.getDetailedMetrics().getNanosToWait()
                : limiterConfig.getLimitRefreshPeriod().toNanos();
        int retryAfter = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
        throw LimitExceededException.rate("more than " + limit + " samples per "
                + limiterConfig.getLimitRefreshPeriod() + " from this caller (posflow.publish.rate-limit); retry in "
                + retryAfter + " s", retryAfter);
    }
}
