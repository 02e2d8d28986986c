package dev.posflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Polls a cheap row-count query every intervalMs until it reaches n (or timeoutS passes), and prints when rows first
 * appeared and when the n-th did:
 * {@code WATCH first_ms=epochMs first_rows=R done_ms=epochMs rows=N rows_per_s=X}
 * where rows_per_s = (N - R) / (done - first): the rows committed between the first poll that saw any and the poll
 * that saw all of them, over that span. Polls cost an index lookup, not a count(*), so they do not load the server.
 * <p>
 * Usage: WatchRows jdbcUrl "sql returning one number: rows so far" n intervalMs timeoutS
 */
public final class WatchRows {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String sql = args[1];
        long n = Long.parseLong(args[2]);
        long interval = Long.parseLong(args[3]);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[4]) * 1000;
        long firstMs = 0;
        long firstRows = 0;
        long rows = 0;
        Connection connection = null;
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(url, "root", "");
                }
                try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                    rows = result.next() ? result.getLong(1) : 0;
                }
            } catch (java.sql.SQLException notYet) { // the table is created by the application or the connector
                rows = 0;
                if (connection != null && !connection.isValid(1)) {
                    connection = null;
                }
            }
            if (rows > 0 && firstMs == 0) {
                firstMs = now;
                firstRows = rows;
            }
            if (rows >= n) {
                double seconds = (now - firstMs) / 1000.0;
                System.out.printf("WATCH first_ms=%d first_rows=%d done_ms=%d rows=%d rows_per_s=%.0f%n", firstMs,
                        firstRows, now, rows, seconds > 0 ? (rows - firstRows) / seconds : 0.0);
                return;
            }
            Thread.sleep(Math.max(1, interval - (System.currentTimeMillis() - now)));
        }
        System.out.printf("WATCH timeout first_ms=%d first_rows=%d rows=%d%n", firstMs, firstRows, rows);
        System.exit(2);
    }

    private WatchRows() {
    }
}
