package dev.posflow.sampling;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import dev.posflow.config.PosflowConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Skips the sampler's ticks when posflow.sampler.source=off, and until the application has started: the scheduler
 * starts before reactive messaging has wired its channels, and an early tick would find no Emitter.
 */
@Singleton
public class SamplerIdle implements Scheduled.SkipPredicate {

    private final boolean off;
    private volatile boolean started;

    SamplerIdle(PosflowConfig config) {
        this.off = config.sampler().source() == PosflowConfig.Sampler.SourceKind.OFF;
    }

    // APPLICATION runs after reactive messaging's own start-up observer (LIBRARY_BEFORE)
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
        started = true;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return off || !started;
    }
}
