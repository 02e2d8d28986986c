package dev.posflow.store.read;

import java.util.List;
import java.util.Optional;

/**
 * A page of sources, in the order of their names (by code point, as latest_positions' binary collation orders them):
 * those after {@code after}, starting with {@code prefix}, among {@code sources} when that is not empty; at most
 * {@code limit}.
 */
public record SourceQuery(Optional<String> after, Optional<String> prefix, List<String> sources, int limit) {

    public SourceQuery withLimit(int other) {
        return new SourceQuery(after, prefix, sources, other);
    }

    public SourceQuery withAfter(String other) {
        return new SourceQuery(Optional.of(other), prefix, sources, limit);
    }

    /** Whether a source name passes the prefix and list filters (not the cursor). */
    public boolean matches(String source) {
        return prefix.map(source::startsWith).orElse(true) && (sources.isEmpty() || sources.contains(source));
    }
}
