package dev.posflow.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.posflow.devinfra.EmbeddedMySql;
import dev.posflow.testing.TestDatabase;

/**
 * Exactly-once when the MySQL primary dies and an asynchronous GTID replica takes its place, against the packaged
 * service, a broker process and two local MySQL 8 servers. posflow keeps its Kafka positions in the same transaction
 * as the rows, so the promoted replica's marks say exactly which records it lacks, and posflow reads those again. The
 * service reaches the new primary at the same address (a TCP proxy moved to it, as a virtual IP or ProxySQL would).
 * Each scenario prints how many rows the replica lacked (re-ingested) and checks rows = records, no duplicate.
 */
class DatabaseFailoverIT {

    private static final int RECORDS = 40_000;
    private static final Duration INGESTED = Duration.ofMinutes(10);
    private static final String DATABASE = "posflow";

    private static KafkaProcess kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        assumeTrue(EmbeddedMySql.isSupportedHere(), "MySQL 8 runs here (Linux x86_64)");
        // its two servers are always MySQL 8 of its own, whatever server the suite runs against: once per CI run, in
        // the run on the MySQL 8 the tests start (the run against a given server, MariaDB in CI, skips it)
        assumeTrue(TestDatabase.embedded(), "runs in the suite's run on its own MySQL 8");
        kafka = new KafkaProcess("dbfailover");
        kafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void replicaHeldBehindIsPromotedAndTheRowsItLackedAreReadAgainOnce() throws Exception {
        failover("behind", Lag.HELD_BEHIND, false);
    }

    @Test
    void replicaCaughtUpIsPromotedAndNothingIsReadAgainTwice() throws Exception {
        failover("caughtup", Lag.CAUGHT_UP, false);
    }

    @Test
    void serviceKilledDuringThePromotionResumesFromThePromotedReplica() throws Exception {
        failover("killed", Lag.HELD_BEHIND, true);
    }

    private enum Lag {
        HELD_BEHIND, CAUGHT_UP
    }

    private static void failover(String name, Lag lag, boolean killServiceDuringPromotion) throws Exception {
        long started = System.nanoTime();
        String topic = "dbfailover-" + name;
        Path dir = Path.of("target", "mysql-failover-" + name + "-" + UUID.randomUUID()).toAbsolutePath();
        try (EmbeddedMySql primary = mysql(dir.resolve("primary"), 1);
                EmbeddedMySql replica = mysql(dir.resolve("replica"), 2);
                DatabaseProxy address = new DatabaseProxy(primary.port())) {
            sql(replica, "", "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=" + primary.port()
                    + ", SOURCE_USER='root', SOURCE_PASSWORD='', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1",
                    "START REPLICA");
            primary.createDatabase(DATABASE);
            Feed.createTopic(kafka.bootstrapServers(), topic, 4);
            // the backlog: every record is in Kafka before the service starts
            Feed.start(kafka.bootstrapServers(), topic, RECORDS, Duration.ofSeconds(2), Feed::good)
                    .get(2, java.util.concurrent.TimeUnit.MINUTES);
            try (AppProcess app = new AppProcess("dbfailover-" + name, kafka.bootstrapServers(), address.port(),
                    DATABASE, topic)) {
                app.with("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mysql://127.0.0.1:" + address.port() + "/" + DATABASE
                        + "?allowPublicKeyRetrieval=true");
                // small batches, so that the backlog takes many transactions and the fault lands among them
                app.with("POSFLOW_INGEST_BATCH_SIZE", "500");
                // Agroal's default 5 s to get a connection has failed Liquibase's first one on a loaded CI machine
                app.with("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "60S");
                app.start();
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> rows(primary) >= RECORDS / 5);
                if (lag == Lag.HELD_BEHIND) {
                    sql(replica, "", "STOP REPLICA SQL_THREAD");
                    long held = rows(primary);
                    await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                            .until(() -> rows(primary) >= held + RECORDS / 5);
                }
                primary.kill();
                if (killServiceDuringPromotion) {
                    app.kill9();
                }
                if (lag == Lag.CAUGHT_UP) {
                    // what the replica received before the primary died, applied: the best a replica can be
                    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                            .until(() -> applied(replica));
                }
                long replicaRows = promote(replica);
                address.moveTo(replica.port());
                if (killServiceDuringPromotion) {
                    app.start();
                }
                await().atMost(INGESTED).pollInterval(Duration.ofMillis(500))
                        .until(() -> offsetsSum(replica) >= RECORDS);

                long rows = count(replica, "select count(*) from positions");
                long duplicates = count(replica, "select count(*) - count(distinct kafka_topic, kafka_incarnation,"
                        + " kafka_partition, kafka_offset) from positions");
                long sequences = count(replica, "select count(distinct x) from positions");
                // what the old primary had committed when it died, read from its crash-recovered data directory
                long primaryRows;
                try (EmbeddedMySql recovered = mysql(dir.resolve("primary"), 1)) {
                    primaryRows = count(recovered, "select count(*) from positions");
                }
                long reingested = primaryRows - replicaRows;
                System.out.printf("DATABASE FAILOVER %s: primary had %,d rows at SIGKILL, promoted replica %,d;"
                        + " %,d rows re-ingested from Kafka; now %,d rows for %,d records, %d duplicates%n", name,
                        primaryRows, replicaRows, reingested, rows, RECORDS, duplicates);
                assertEquals(RECORDS, offsetsSum(replica), "offsets stored");
                assertEquals(RECORDS, rows, "rows");
                assertEquals(0, duplicates, "duplicate Kafka records");
                assertEquals(RECORDS, sequences, "distinct sequence numbers");
                Results.record("14. MySQL primary kill -9, " + (lag == Lag.HELD_BEHIND ? "replica held behind"
                        : "replica caught up") + " promoted" + (killServiceDuringPromotion
                                ? ", posflow kill -9 during the promotion" : ""), RECORDS,
                        "primary had " + primaryRows + " rows, replica " + replicaRows, rows, duplicates, 0,
                        reingested + " rows re-ingested", (System.nanoTime() - started) / 1_000_000_000);
            }
        } finally {
            Processes.delete(dir);
        }
    }

    private static EmbeddedMySql mysql(Path dir, int serverId) {
        return EmbeddedMySql.builder(dir).serverArguments("--server-id=" + serverId, "--gtid-mode=ON",
                "--enforce-gtid-consistency=ON", "--log-bin=binlog", "--skip-replica-start").start();
    }

    /** An operator's promotion: replication stopped and forgotten, writes allowed. Returns the rows it holds. */
    private static long promote(EmbeddedMySql replica) throws SQLException {
        sql(replica, "", "STOP REPLICA", "RESET REPLICA ALL", "SET GLOBAL super_read_only = OFF",
                "SET GLOBAL read_only = OFF");
        return count(replica, "select count(*) from positions");
    }

    /** True once the replica has applied every transaction it received. */
    private static boolean applied(EmbeddedMySql replica) throws SQLException {
        try (Connection connection = DriverManager.getConnection(replica.jdbcUrl(""), "root", "");
                Statement statement = connection.createStatement();
                ResultSet status = statement.executeQuery("SHOW REPLICA STATUS")) {
            status.next();
            String retrieved = status.getString("Retrieved_Gtid_Set");
            try (Statement check = connection.createStatement();
                    ResultSet subset = check.executeQuery("select gtid_subset('" + retrieved
                            + "', @@global.gtid_executed)")) {
                subset.next();
                return subset.getInt(1) == 1;
            }
        }
    }

    private static long rows(EmbeddedMySql mysql) {
        try {
            return count(mysql, "select count(*) from positions");
        } catch (SQLException notYet) {
            return 0;
        }
    }

    private static long offsetsSum(EmbeddedMySql mysql) {
        try {
            return count(mysql, "select coalesce(sum(next_offset), 0) from ingest_offsets");
        } catch (SQLException notYet) {
            return 0;
        }
    }

    private static long count(EmbeddedMySql mysql, String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(DATABASE), "root", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void sql(EmbeddedMySql mysql, String database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(database), "root", "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
