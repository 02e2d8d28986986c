package dev.posflow.view;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.store.SourceSummary;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A source as GET /sources shows it: its number of positions and the sampling times of its first and last. */
@RegisterForReflection
public record SourceView(String source, long count, String first, String last) {

    public static SourceView of(SourceSummary summary) {
        return new SourceView(summary.source(), summary.count(), MicrosInstant.format(summary.first()),
                MicrosInstant.format(summary.last()));
    }
}
