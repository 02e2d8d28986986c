package dev.posflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The limit: the same N rows that posflow stores, written by one JDBC client as multi-row INSERTs (Connector/J
 * rewriteBatchedStatements=true, the same driver properties as posflow), one transaction per batch, into a fresh
 * table of posflow's exact shape (db/changelog.xml changeSet 1-positions: auto-increment id, unique Kafka key,
 * (source, sampled_at) and (sampled_at) indexes).
 * <p>
 * Usage: RawLimit jdbcUrlOfAnExistingDatabase n batchSize plain|odku|peer-shape [sources] (sources as {@link Preload})
 * <br>plain: INSERT ... VALUES (...),(...); odku: posflow's own statement, with ON DUPLICATE KEY UPDATE id = id;
 * peer-shape: plain INSERTs into a table keyed like the peer's (Kafka coordinates as primary key, no other index).
 * <br>Prints one line: {@code RAW rows=N seconds=S rows_per_s=R}.
 */
public final class RawLimit {

    static final String DDL = "create table positions ("
            + " id bigint auto_increment not null,"
            + " source varchar(64) character set utf8mb4 collate utf8mb4_bin not null,"
            + " sampled_at datetime(6) not null,"
            + " x int not null,"
            + " y int not null,"
            + " received_at datetime(6) not null,"
            + " kafka_topic varchar(249) character set utf8mb4 collate utf8mb4_bin not null,"
            + " kafka_incarnation int not null default 0,"
            + " kafka_partition int not null,"
            + " kafka_offset bigint not null,"
            + " constraint pk_positions primary key (id),"
            + " constraint uk_positions_kafka unique (kafka_topic, kafka_incarnation, kafka_partition, kafka_offset))";

    /**
     * The shape of the peer's table (what the Debezium JDBC sink creates with primary.key.mode=kafka): the Kafka
     * coordinates as primary key, no other index, no auto-increment id. received_at is kept so that the rows are the
     * same bytes; the peer's table has no such column.
     */
    static final String PEER_DDL = "create table positions ("
            + " kafka_topic varchar(249) not null,"
            + " kafka_partition int not null,"
            + " kafka_offset bigint not null,"
            + " source varchar(64) not null,"
            + " sampled_at datetime(6) not null,"
            + " x int not null,"
            + " y int not null,"
            + " received_at datetime(6) not null,"
            + " primary key (kafka_topic, kafka_partition, kafka_offset))";

    static final DateTimeFormatter DATETIME6 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int n = Integer.parseInt(args[1]);
        int batchSize = Integer.parseInt(args[2]);
        String mode = args.length > 3 ? args[3] : "plain";
        int sources = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        boolean odku = mode.equals("odku");
        boolean peerShape = mode.equals("peer-shape");
        String topic = "bench-json";
        String props = (url.contains("?") ? "&" : "?") + "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                + "&characterEncoding=UTF-8&useSSL=false&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
        try (Connection connection = DriverManager.getConnection(url + props, "root", "")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("drop table if exists positions");
                if (peerShape) {
                    statement.execute(PEER_DDL);
                } else {
                    statement.execute(DDL);
                    statement.execute("create index idx_positions_source_sampled_at on positions (source, sampled_at)");
                    statement.execute("create index idx_positions_sampled_at on positions (sampled_at)");
                }
            }
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            connection.setAutoCommit(false);
            String sql = "insert into positions"
                    + " (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset"
                    + (peerShape ? ")" : ", kafka_incarnation)")
                    + " values (?, ?, ?, ?, ?, ?, ?, ?" + (peerShape ? ")" : ", 0)") + (odku ? " on duplicate key update id = id" : "");
            long startedMs = System.currentTimeMillis();
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (int from = 0; from < n; from += batchSize) {
                    String receivedAt = LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS),
                            ZoneOffset.UTC).format(DATETIME6);
                    for (int i = from; i < Math.min(n, from + batchSize); i++) {
                        insert.setString(1, Preload.source(i, sources, topic));
                        insert.setString(2, Preload.BASE.plus(i, ChronoUnit.MILLIS).format(DATETIME6));
                        insert.setInt(3, i);
                        insert.setInt(4, i % 1080);
                        insert.setString(5, receivedAt);
                        insert.setString(6, topic);
                        insert.setInt(7, 0);
                        insert.setLong(8, i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    connection.commit();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long endedMs = System.currentTimeMillis();
            long count = count(connection);
            if (count != n) {
                throw new IllegalStateException("expected " + n + " rows, found " + count);
            }
            System.out.printf("RAW mode=%s rows=%d seconds=%.3f rows_per_s=%.0f first_ms=%d done_ms=%d%n", mode, n,
                    seconds, n / seconds, startedMs, endedMs);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var result = statement.executeQuery("select count(*) from positions")) {
            result.next();
            return result.getLong(1);
        }
    }

    private RawLimit() {
    }
}
