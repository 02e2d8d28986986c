package dev.posflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import dev.posflow.testing.TestDatabase;

/**
 * Changeset 7 on a database an older posflow filled, on the real MariaDB/MySQL: sources (and topics) that differ
 * only in case were one name to positions' _ci collation; after the upgrade they are two, with no row merged or lost,
 * and the summaries the old collation got wrong are built again from the rows.
 */
class NamesByCodePointMigrationTest {

    /** Per test database, so that engineers sharing a server do not collide. */
    private static final String DATABASE = "posflow_migration_case_" + TestDatabase.database();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        TestDatabase.execute("drop database if exists " + DATABASE, "create database " + DATABASE);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        TestDatabase.execute("drop database if exists " + DATABASE);
    }

    @Test
    void sourcesDifferingOnlyInCaseStaySeparateAndTheirSummariesAreRebuiltFromTheirOwnRows() throws Exception {
        migrate(6);
        execute("insert into positions"
                + " (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset) values"
                + " ('Bob', '2021-04-10 20:00:00.000001', 1, 1, '2021-04-10 20:51:37', 'JSON', 0, 0),"
                + " ('bob', '2021-04-10 20:00:00.000002', 2, 2, '2021-04-10 20:51:37', 'JSON', 0, 1),"
                + " ('bob', '2021-04-10 20:00:00.000003', 3, 3, '2021-04-10 20:51:37', 'json', 0, 3),"
                + " ('carol', '2021-04-10 20:00:00.000004', 4, 4, '2021-04-10 20:51:37', 'JSON', 0, 2)",
                // summaries as the old collation left them: Bob recounted with bob's rows, carol right
                "insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset,"
                        + " row_count, first_sampled_at) values"
                        + " ('Bob', '2021-04-10 20:00:00.000001', 'JSON', 0, 0, 3, '2021-04-10 20:00:00.000001'),"
                        + " ('bob', '2021-04-10 20:00:00.000003', 'json', 0, 3, 2, '2021-04-10 20:00:00.000002'),"
                        + " ('carol', '2021-04-10 20:00:00.000004', 'JSON', 0, 2, 1, '2021-04-10 20:00:00.000004')");
        assertEquals(List.of("3"), lines("select count(*) from positions where source = 'bob'"),
                "before the upgrade, the _ci column took Bob for bob");

        migrate(Integer.MAX_VALUE);

        assertEquals(List.of("0"), lines("select count(*) from information_schema.columns"
                + " where table_schema = database() and column_name in ('source', 'kafka_topic')"
                + " and collation_name <> 'utf8mb4_bin'"));
        assertEquals(List.of("Bob 1", "bob 2", "carol 1"),
                lines("select source, count(*) from positions group by source order by source"));
        assertEquals(List.of("1"), lines("select x from positions where source = 'Bob'"), "only Bob's own row");
        assertEquals(List.of(
                "Bob 1 2021-04-10 20:00:00.000001 2021-04-10 20:00:00.000001 JSON 0",
                "bob 2 2021-04-10 20:00:00.000002 2021-04-10 20:00:00.000003 json 3",
                "carol 1 2021-04-10 20:00:00.000004 2021-04-10 20:00:00.000004 JSON 2"),
                lines("select source, row_count, cast(first_sampled_at as char), cast(sampled_at as char),"
                        + " kafka_topic, kafka_offset from latest_positions order by source"));
        assertEquals(List.of("Bob 1", "bob 2"), lines("select source, count(*) from positions"
                + " where source like 'b%' or source like 'B%' group by source order by source"));
        assertEquals(List.of("bob"), lines("select source from positions where source like 'bo%' group by source"),
                "a prefix filter is by code point too");
    }

    @Test
    void topicsDifferingOnlyInCaseAreTwoTopicsWhoseOffsetsDoNotCollide() throws Exception {
        migrate(6);
        execute("insert into ingest_offsets (kafka_topic, kafka_partition, next_offset) values ('JSON', 0, 5)");

        migrate(Integer.MAX_VALUE);

        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('a', '2021-04-10 20:00:00', 1, 1, '2021-04-10 20:00:01', 'JSON', 0, 0),"
                + " ('a', '2021-04-10 20:00:00', 1, 1, '2021-04-10 20:00:01', 'json', 0, 0)",
                "insert into ingest_offsets (kafka_topic, kafka_partition, next_offset) values ('json', 0, 1)",
                "insert into kafka_incarnations (kafka_topic, incarnation, first_seen) values"
                        + " ('JSON', 0, utc_timestamp(6)), ('json', 0, utc_timestamp(6))");
        assertEquals(List.of("JSON 5", "json 1"),
                lines("select kafka_topic, next_offset from ingest_offsets order by kafka_topic"));
        assertEquals(List.of("1"), lines("select count(*) from positions where kafka_topic = 'json'"));
    }

    private static void migrate(int changeSets) throws Exception {
        try (Connection connection = TestDatabase.connect(DATABASE);
                Liquibase liquibase = new Liquibase("db/changelog.xml", new ClassLoaderResourceAccessor(),
                        DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)))) {
            if (changeSets == Integer.MAX_VALUE) {
                liquibase.update(new Contexts());
            } else {
                liquibase.update(changeSets, new Contexts(), new LabelExpression());
            }
        }
    }

    private static List<String> lines(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE);
                Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            List<String> lines = new ArrayList<>();
            while (result.next()) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    columns.add(result.getString(i));
                }
                lines.add(String.join(" ", columns));
            }
            return lines;
        }
    }

    private static void execute(String... sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
