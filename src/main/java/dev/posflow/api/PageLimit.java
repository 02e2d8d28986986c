package dev.posflow.api;

/** The 'limit' of every paged answer (history, /positions/latest, /sources): one range, one refusal. */
final class PageLimit {

    static final int DEFAULT = 100;
    static final int MAX = 1000;

    private PageLimit() {
    }

    /** The limit given, or {@link #DEFAULT} when none is; a precise 400 when it is not an integer in range. */
    static int parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw ProblemException.badRequest("'limit' must be an integer from 1 to " + MAX + ", not '" + value + "'");
    }
}
