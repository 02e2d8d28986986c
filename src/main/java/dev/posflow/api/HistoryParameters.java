package dev.posflow.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import dev.posflow.sample.SourceName;
import dev.posflow.store.read.HistoryQuery;

/** Reads the query parameters of GET /positions, refusing each bad one with a precise 400. */
final class HistoryParameters {

    private HistoryParameters() {
    }

    static HistoryQuery parse(String source, String from, String to, String limit, String after, String order) {
        Optional<Instant> fromInstant = instant("from", from);
        Optional<Instant> toInstant = instant("to", to);
        if (fromInstant.isPresent() && toInstant.isPresent() && !fromInstant.get().isBefore(toInstant.get())) {
            throw ProblemException.badRequest("'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        return new HistoryQuery(source(source), fromInstant, toInstant,
                blank(after) ? Optional.empty() : Optional.of(Cursor.decode(after)), PageLimit.parse(limit),
                descending(order));
    }

    static String requireSource(String source) {
        return source(source).orElseThrow(() -> ProblemException.badRequest("'source' must not be empty"));
    }

    /** A required instant parameter, such as DELETE /positions's 'before'. */
    static Instant requireInstant(String name, String value) {
        return instant(name, value).orElseThrow(() -> ProblemException.badRequest("'" + name
                + "' is required: an ISO-8601 instant such as 2021-04-10T00:00:00Z"));
    }

    static Optional<String> source(String source) {
        if (source == null) {
            return Optional.empty();
        }
        if (!SourceName.isValid(source)) {
            throw ProblemException.badRequest(SourceName.refusal("'source'", source));
        }
        return Optional.of(source);
    }

    private static Optional<Instant> instant(String name, String value) {
        if (blank(value)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("'" + name + "' is not an ISO-8601 instant such as "
                    + "2021-04-10T20:51:36.287301Z: '" + value + "'");
        }
    }

    private static boolean descending(String order) {
        if (blank(order) || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw ProblemException.badRequest("'order' must be 'asc' or 'desc', not '" + order + "'");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
