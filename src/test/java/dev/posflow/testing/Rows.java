package dev.posflow.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.quarkus.arc.Arc;

/**
 * Reads the positions table over plain JDBC, the way an operator's SQL client does, so that tests check what MySQL
 * holds and not what Hibernate makes of it. Timestamps are read as the server's own text.
 */
public final class Rows {

    private Rows() {
    }

    public static List<Map<String, Object>> query(String sql, Object... parameters) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                        row.put(result.getMetaData().getColumnLabel(column), result.getObject(column));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The rows stored for one Kafka record, with sampled_at and received_at as text. */
    public static List<Map<String, Object>> forRecord(String topic, int partition, long offset) {
        return query("select id, source, cast(sampled_at as char) as sampled_at, x, y,"
                + " cast(received_at as char) as received_at, kafka_topic, kafka_partition, kafka_offset"
                + " from positions where kafka_topic = ? and kafka_partition = ? and kafka_offset = ?",
                topic, partition, offset);
    }

    public static long count(String sql, Object... parameters) {
        return ((Number) query(sql, parameters).get(0).values().iterator().next()).longValue();
    }

    /** An UPDATE or DELETE, as an operator would run it; returns the rows changed. */
    public static int update(String sql, Object... parameters) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
