package dev.posflow.store;

import java.time.Instant;

/** What is stored of one source. */
public record SourceSummary(String source, long count, Instant first, Instant last) {
}
