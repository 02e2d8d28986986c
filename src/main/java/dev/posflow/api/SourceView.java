package dev.posflow.api;

import dev.posflow.publish.SamplePublisher;
import dev.posflow.store.SourceSummary;

public record SourceView(String source, long count, String first, String last) {

    public static SourceView of(SourceSummary summary) {
        return new SourceView(summary.source(), summary.count(), SamplePublisher.MICROS_INSTANT.format(summary.first()),
                SamplePublisher.MICROS_INSTANT.format(summary.last()));
    }
}
