package dev.posflow.store.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

/**
 * Puts a time limit on a SELECT, in the one form each engine accepts: MySQL 8's optimizer hint
 * MAX_EXECUTION_TIME(ms) after the SELECT (SELECT only; MariaDB would ignore it as a comment) and MariaDB's
 * {@code SET STATEMENT max_statement_time=seconds FOR ...} (which MySQL would refuse). Per statement rather than per
 * session, so that an export and a page can have different limits on the same pooled connection, and without a round
 * trip of its own. The server ends a statement past its limit with an error, whatever the client is doing: a reader that
 * stops reading cannot hold its result, its connection and InnoDB's read view open for longer.
 */
final class ReadTimeLimit {

    // the engine never changes under a running application; detected from the first connection that asks
    private static volatile Boolean mariaDb;

    private ReadTimeLimit() {
    }

    /** @param select a statement that starts with "select" */
    static String limit(Connection connection, String select, Duration limit) throws SQLException {
        if (!select.regionMatches(true, 0, "select ", 0, 7)) {
            throw new IllegalArgumentException("not a select: " + select);
        }
        long millis = Math.max(1, limit.toMillis());
        if (isMariaDb(connection)) {
            return "set statement max_statement_time=" + String.format(Locale.ROOT, "%.3f", millis / 1000.0) + " for "
                    + select;
        }
        return "select /*+ MAX_EXECUTION_TIME(" + millis + ") */ " + select.substring(7);
    }

    /**
     * Runs a statement made by {@link #limit}. Connector/J's executeQuery refuses MariaDB's form, which does not start
     * with SELECT; execute runs it all the same (streaming too, with fetch size Integer.MIN_VALUE).
     */
    static ResultSet executeQuery(PreparedStatement statement) throws SQLException {
        if (!statement.execute()) {
            throw new SQLException("the read returned no result set");
        }
        return statement.getResultSet();
    }

    /** Whether the statement failed because it ran past its limit (MySQL 3024, MariaDB 1969). */
    static boolean isTimeLimit(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == 3024 || sql.getErrorCode() == 1969)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMariaDb(Connection connection) throws SQLException {
        Boolean known = mariaDb;
        if (known == null) {
            // Connector/J reports MariaDB as product "MySQL", version e.g. "5.5.5-10.11.6-MariaDB"
            known = connection.getMetaData().getDatabaseProductVersion().contains("MariaDB");
            mariaDb = known;
        }
        return known;
    }
}
