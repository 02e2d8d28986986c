package dev.posflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
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
 * A database that an older posflow filled is upgraded in place: the tables added later are filled from the rows
 * already there, on the real MariaDB/MySQL.
 */
class MigrationBackfillTest {

    private static final String SERVER = TestDatabase.urlOf("");
    private static final String DATABASE = "posflow_migration_backfill";

    @BeforeEach
    void emptyDatabase() throws SQLException {
        execute(SERVER, "drop database if exists " + DATABASE, "create database " + DATABASE);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        execute(SERVER, "drop database if exists " + DATABASE);
    }

    @Test
    void rowsStoredBeforeTheUpgradeGiveLatestPositionsAndSourceSummaries() throws Exception {
        migrate(1);
        execute(SERVER + DATABASE, "insert into positions"
                + " (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset) values"
                + " ('a', '2021-04-10 20:51:36.000001', 1, 1, '2021-04-10 20:51:37', 'JSON', 0, 0),"
                + " ('a', '2021-04-10 20:51:38.000003', 3, 3, '2021-04-10 20:51:39', 'JSON', 0, 1),"
                + " ('a', '2021-04-10 20:51:37.000002', 2, 2, '2021-04-10 20:51:39', 'JSON', 0, 2),"
                + " ('b', '2021-04-10 20:00:00.000009', 9, 9, '2021-04-10 20:51:39', 'JSON', 0, 3)");

        migrate(Integer.MAX_VALUE);

        assertEquals(List.of(
                "a 3 2021-04-10 20:51:36.000001 2021-04-10 20:51:38.000003 1",
                "b 1 2021-04-10 20:00:00.000009 2021-04-10 20:00:00.000009 3"),
                lines("select source, row_count, cast(first_sampled_at as char), cast(sampled_at as char),"
                        + " kafka_offset from latest_positions order by source"));
    }

    @Test
    void rowsAndMarksStoredBeforeTheUpgradeAreIncarnationZeroAndANewIncarnationStoresTheSameOffsetsAgain()
            throws Exception {
        migrate(4);
        execute(SERVER + DATABASE, "insert into positions"
                + " (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset) values"
                + " ('a', '2021-04-10 20:51:36.000001', 1, 1, '2021-04-10 20:51:37', 'JSON', 0, 0),"
                + " ('a', '2021-04-10 20:51:38.000003', 3, 3, '2021-04-10 20:51:39', 'other', 0, 0)",
                "insert into ingest_offsets (kafka_topic, kafka_partition, next_offset) values ('JSON', 0, 1),"
                        + " ('other', 0, 1), ('other', 1, 7)");

        migrate(Integer.MAX_VALUE);

        assertEquals(List.of("JSON 0 null null", "other 0 null null"), lines("select kafka_topic, incarnation,"
                + " coalesce(cluster_id, 'null'), coalesce(topic_id, 'null') from kafka_incarnations order by 1"));
        assertEquals(List.of("JSON 0 0 0", "other 0 0 0"), lines("select kafka_topic, kafka_incarnation,"
                + " kafka_partition, kafka_offset from positions order by 1"));
        assertEquals(List.of("JSON 0 0 1", "other 0 0 1", "other 0 1 7"), lines("select kafka_topic,"
                + " kafka_incarnation, kafka_partition, next_offset from ingest_offsets order by 1, 3"));
        // the same topic, partition and offset in incarnation 1 is another record, not a duplicate
        execute(SERVER + DATABASE, "insert into positions (source, sampled_at, x, y, received_at, kafka_topic,"
                + " kafka_incarnation, kafka_partition, kafka_offset) values ('a', '2021-04-10 20:51:40', 5, 5,"
                + " '2021-04-10 20:51:41', 'JSON', 1, 0, 0)");
        assertEquals(List.of("2"), lines("select count(*) from positions where kafka_topic = 'JSON'"));
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

    private static void execute(String url, String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "root", "");
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
