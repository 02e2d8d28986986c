package dev.posflow.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.posflow.sample.Sample;
import dev.posflow.store.read.SourceQuery;

/**
 * Reads the query parameters of the source-ordered pages (GET /positions/latest and GET /sources): limit, after,
 * sources and prefix, refusing each bad one with a precise 400.
 */
final class SourcePageParameters {

    /** Most names in 'sources': as many as a page holds. */
    static final int MAX_SOURCES = PageLimit.MAX;

    private SourcePageParameters() {
    }

    /** @param sources each value a comma-separated list; the parameter may also be repeated */
    static SourceQuery parse(String limit, String after, List<String> sources, String prefix) {
        return new SourceQuery(blank(after) ? Optional.empty() : Optional.of(SourceCursor.decode(after)),
                prefix(prefix), sources(sources), PageLimit.parse(limit));
    }

    /** Whether any of the paging parameters is given (they cannot go with ?source= on /positions/latest). */
    static boolean anyGiven(String limit, String after, List<String> sources, String prefix) {
        return limit != null || after != null || prefix != null || sources != null && !sources.isEmpty();
    }

    private static Optional<String> prefix(String prefix) {
        if (blank(prefix)) {
            return Optional.empty();
        }
        if (prefix.length() > Sample.MAX_SOURCE_LENGTH) {
            throw ProblemException.badRequest("'prefix' must be 1 to " + Sample.MAX_SOURCE_LENGTH + " characters");
        }
        return Optional.of(prefix);
    }

    private static List<String> sources(List<String> values) {
        if (values == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String value : values) {
            if (blank(value)) {
                continue;
            }
            for (String name : value.split(",", -1)) {
                if (name.isEmpty() || name.length() > Sample.MAX_SOURCE_LENGTH) {
                    throw ProblemException.badRequest("'sources' is a comma-separated list of source names of 1 to "
                            + Sample.MAX_SOURCE_LENGTH + " characters each, not '" + value + "'");
                }
                names.add(name);
            }
        }
        if (names.size() > MAX_SOURCES) {
            throw ProblemException.badRequest("'sources' lists at most " + MAX_SOURCES + " names, not " + names.size());
        }
        return new ArrayList<>(names);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
