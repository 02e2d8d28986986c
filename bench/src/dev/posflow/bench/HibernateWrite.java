package dev.posflow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.hibernate.cfg.Configuration;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Table;
import jakarta.persistence.TableGenerator;

/**
 * Hibernate's best batched write of posflow's rows, to set beside {@link RawLimit} (the plain JDBC writer): the same
 * N rows into the same table (RawLimit.DDL and its indexes), the same driver properties, one transaction per batch,
 * but written by a {@link StatelessSession} ({@code insertMultiple}, no persistence context) with JDBC batching
 * ({@code hibernate.jdbc.batch_size}) — what the Panache entity {@code Position} would do at its fastest. Its
 * IDENTITY id is what denies batching (Hibernate must read each generated key back), so the entity here takes ids
 * that allow it:
 * <br>table: a pooled table generator (one UPDATE of a one-row table per 1000 ids, in a transaction of its own), the
 * batching-friendly generator that MySQL 8 (which has no sequences) can have;
 * <br>assigned: ids set by the caller, the upper bound (posflow has no source of ids across replicas to assign from).
 * <p>
 * Usage: HibernateWrite jdbcUrlOfAnExistingDatabase n batchSize table|assigned
 * <br>Prints one line: {@code HIBERNATE mode=M rows=N seconds=S rows_per_s=R}; the time covers the inserts and
 * commits only, as RawLimit's does (not Hibernate's start).
 */
public final class HibernateWrite {

    private static final DateTimeFormatter DATETIME6 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** The columns of posflow's Position, flattened (its KafkaKey embeddable adds nothing to the insert). */
    @MappedSuperclass
    public abstract static class Row {
        @Column(nullable = false, length = 64)
        public String source;
        @Convert(converter = Micros.class)
        @Column(name = "sampled_at", nullable = false)
        public Instant sampledAt;
        @Column(nullable = false)
        public int x;
        @Column(nullable = false)
        public int y;
        @Convert(converter = Micros.class)
        @Column(name = "received_at", nullable = false)
        public Instant receivedAt;
        @Column(name = "kafka_topic", nullable = false)
        public String kafkaTopic;
        @Column(name = "kafka_partition", nullable = false)
        public int kafkaPartition;
        @Column(name = "kafka_offset", nullable = false)
        public long kafkaOffset;

        abstract void id(long id);
    }

    @Entity(name = "TableIdRow")
    @Table(name = "positions")
    public static class TableIdRow extends Row {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "position_ids")
        @TableGenerator(name = "position_ids", table = "id_blocks", pkColumnName = "name",
                valueColumnName = "next_val", pkColumnValue = "positions", allocationSize = 1000)
        public Long id;

        @Override
        void id(long id) {
            // generated
        }
    }

    @Entity(name = "AssignedIdRow")
    @Table(name = "positions")
    public static class AssignedIdRow extends Row {
        @Id
        public Long id;

        @Override
        void id(long id) {
            this.id = id;
        }
    }

    /** Binds DATETIME(6) as text, as posflow's UtcMicrosConverter does (and RawLimit's setString). */
    public static class Micros implements AttributeConverter<Instant, String> {
        @Override
        public String convertToDatabaseColumn(Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(DATETIME6);
        }

        @Override
        public Instant convertToEntityAttribute(String text) {
            return LocalDateTime.parse(text, DATETIME6).toInstant(ZoneOffset.UTC);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int n = Integer.parseInt(args[1]);
        int batchSize = Integer.parseInt(args[2]);
        String mode = args.length > 3 ? args[3] : "table";
        boolean assigned = mode.equals("assigned");
        String topic = "bench-json";
        String fullUrl = url + (url.contains("?") ? "&" : "?") + "connectionTimeZone=UTC"
                + "&forceConnectionTimeZoneToSession=true&characterEncoding=UTF-8&useSSL=false"
                + "&allowPublicKeyRetrieval=true&rewriteBatchedStatements=true";
        try (Connection connection = DriverManager.getConnection(fullUrl, "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists positions");
            statement.execute("drop table if exists id_blocks");
            statement.execute(RawLimit.DDL);
            statement.execute("create index idx_positions_source_sampled_at on positions (source, sampled_at)");
            statement.execute("create index idx_positions_sampled_at on positions (sampled_at)");
            statement.execute("create table id_blocks (name varchar(64) not null primary key, next_val bigint)");
        }
        Class<? extends Row> type = assigned ? AssignedIdRow.class : TableIdRow.class;
        Configuration configuration = new Configuration()
                .addAnnotatedClass(type)
                .setProperty("hibernate.connection.url", fullUrl)
                .setProperty("hibernate.connection.username", "root")
                .setProperty("hibernate.connection.password", "")
                .setProperty("hibernate.connection.pool_size", "2")
                .setProperty("hibernate.connection.isolation", String.valueOf(Connection.TRANSACTION_READ_COMMITTED))
                // as posflow: MariaDB introduces itself as 5.5.5-10.x, which Hibernate's MySQL check would refuse
                .setProperty("hibernate.dialect", "org.hibernate.dialect.MySQLDialect")
                .setProperty("jakarta.persistence.database-product-name", "MySQL")
                .setProperty("jakarta.persistence.database-major-version", "8")
                .setProperty("jakarta.persistence.database-minor-version", "0")
                .setProperty("hibernate.jdbc.batch_size", String.valueOf(batchSize))
                .setProperty("hibernate.order_inserts", "true")
                .setProperty("hibernate.show_sql", "false");
        try (SessionFactory factory = configuration.buildSessionFactory();
                StatelessSession session = factory.openStatelessSession()) {
            session.setJdbcBatchSize(batchSize);
            long started = System.nanoTime();
            for (int from = 0; from < n; from += batchSize) {
                Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                List<Row> rows = new ArrayList<>(batchSize);
                for (int i = from; i < Math.min(n, from + batchSize); i++) {
                    Row row = assigned ? new AssignedIdRow() : new TableIdRow();
                    row.id(i + 1L);
                    row.source = topic;
                    row.sampledAt = Preload.BASE.plus(i, ChronoUnit.MILLIS).toInstant(ZoneOffset.UTC);
                    row.x = i;
                    row.y = i % 1080;
                    row.receivedAt = receivedAt;
                    row.kafkaTopic = topic;
                    row.kafkaPartition = 0;
                    row.kafkaOffset = i;
                    rows.add(row);
                }
                Transaction transaction = session.beginTransaction();
                session.insertMultiple(rows);
                transaction.commit();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long count = count(fullUrl);
            if (count != n) {
                throw new IllegalStateException("expected " + n + " rows, found " + count);
            }
            System.out.printf("HIBERNATE mode=%s rows=%d seconds=%.3f rows_per_s=%.0f%n", mode, n, seconds,
                    n / seconds);
        }
    }

    private static long count(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "root", "");
                Statement statement = connection.createStatement();
                var result = statement.executeQuery("select count(*) from positions")) {
            result.next();
            return result.getLong(1);
        }
    }

    private HibernateWrite() {
    }
}
