package dev.posflow.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.posflow.testing.TestDatabase;

/** The scenario's own database on the real MariaDB/MySQL, read over plain JDBC. */
final class Database {

    static final int PORT = TestDatabase.port();

    private final String name;

    Database(String name) throws SQLException {
        this.name = name;
        TestDatabase.execute("drop database if exists " + name, "create database " + name);
    }

    String name() {
        return name;
    }

    long count(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Rows of positions, or 0 while the service has not created the table yet. */
    long rows() {
        try {
            return count("select count(*) from positions");
        } catch (SQLException notYet) {
            return 0;
        }
    }

    /** Rows beyond the first of each Kafka record: must be 0. */
    long duplicates() throws SQLException {
        return count("select count(*) - count(distinct kafka_topic, kafka_partition, kafka_offset) from positions");
    }

    /** Distinct sequence numbers stored: the produced values of x. */
    long distinctSequences() throws SQLException {
        return count("select count(distinct x) from positions");
    }

    long storedOffsetsSum() throws SQLException {
        return count("select coalesce(sum(next_offset), 0) from ingest_offsets");
    }

    /** The sum of ingest_offsets, or 0 while the service has not created the table yet. */
    long storedOffsetsSumOrZero() {
        try {
            return storedOffsetsSum();
        } catch (SQLException notYet) {
            return 0;
        }
    }

    /** How many rows carry each value of x (the produced or posted sequence number). */
    java.util.Map<Long, Integer> rowsPerSequence() throws SQLException {
        java.util.Map<Long, Integer> rows = new java.util.HashMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select x, count(*) from positions group by x")) {
            while (result.next()) {
                rows.put(result.getLong(1), result.getInt(2));
            }
        }
        return rows;
    }

    void drop() throws SQLException {
        TestDatabase.execute("drop database if exists " + name);
    }

    private Connection connect() throws SQLException {
        return TestDatabase.connect(name);
    }
}
