package dev.posflow.view;

import dev.posflow.store.read.LatestReader;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A source as GET /sources shows it: its number of positions and the sampling times of its first and last. */
@RegisterForReflection
public record SourceView(String source, long count, String first, String last) {

    public static SourceView of(LatestReader.SourceRow row) {
        return new SourceView(row.source(), row.count(), InstantText.of(row.first()), InstantText.of(row.last()));
    }
}
