package dev.posflow.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.quarkus.arc.Arc;

/**
 * Inserts many rows into positions in one statement, as an operator's bulk load would, for tests that need more rows
 * than producing them through Kafka would take time for. Row i has x = i, y = i % 1000, sampled_at = start + i ms,
 * and a Kafka key of its own on the given (made-up) topic. Its source gets no latest row: ingest did not write it.
 */
public final class BulkRows {

    private BulkRows() {
    }

    /** A start time for {@link #insert}: recent, so that a retention purge in the same test run leaves the rows. */
    public static String hoursAgo(int hours) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now().minus(java.time.Duration.ofHours(hours)));
    }

    /** @param rows at most 1,000,000 */
    public static void insert(String source, String topic, int rows, String startSql) {
        // six digits' cross join: no recursive CTE, whose depth MySQL caps at 1,000 by default
        String digits = "(select 0 d union all select 1 union all select 2 union all select 3 union all select 4"
                + " union all select 5 union all select 6 union all select 7 union all select 8 union all select 9)";
        String sql = "insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) select ?, timestamp(?) + interval n * 1000 microsecond, n, n % 1000,"
                + " utc_timestamp(6), ?, 0, n from (select a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d"
                + " + 100000 * g.d as n from " + digits + " a, " + digits + " b, " + digits + " c, " + digits
                + " e, " + digits + " f, " + digits + " g) seq where n < ?";
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, source);
            insert.setString(2, startSql);
            insert.setString(3, topic);
            insert.setInt(4, rows);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
