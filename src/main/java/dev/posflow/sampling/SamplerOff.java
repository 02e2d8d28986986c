package dev.posflow.sampling;

import jakarta.inject.Singleton;

import dev.posflow.config.PosflowConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/** Skips the sampler's ticks when posflow.sampler.source=off. */
@Singleton
public class SamplerOff implements Scheduled.SkipPredicate {

    private final boolean off;

    SamplerOff(PosflowConfig config) {
        this.off = config.sampler().source() == PosflowConfig.Sampler.SourceKind.OFF;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return off;
    }
}
