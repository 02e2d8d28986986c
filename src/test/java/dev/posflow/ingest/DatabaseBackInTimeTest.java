package dev.posflow.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A running posflow whose database goes back in time, as when the MySQL primary fails over to an asynchronous replica
 * that lacks the last commits: the rows and the mark end at offset k while the consumer is already further. Without
 * replication: the test removes the last commits of a partition by hand, in one transaction, as the promoted replica
 * would lack them (chaos/DatabaseFailoverIT does it with a real replica).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DatabaseBackInTimeTest {

    private static final String TOPIC = "JSON";
    private static final String SOURCE = "back-in-time";
    private static final String VALUE = "{\"sampledAt\": \"2021-04-10T20:51:40.%06dZ\", \"x\": %d, \"y\": 9}";
    private static final int BEFORE = 40;
    private static final int LOST = 15;
    private static final int AFTER = 20;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    @Test
    void recordsWhoseCommitsTheDatabaseLostAreReadAgainAndStoredOnce() throws Exception {
        List<RecordMetadata> sent = send(0, BEFORE);
        int partition = sent.get(0).partition();
        long first = sent.get(0).offset();
        long end = sent.get(BEFORE - 1).offset() + 1;
        await().atMost(Duration.ofSeconds(60)).until(() -> stored() == BEFORE && mark(partition) >= end);
        double rewindsBefore = counter("posflow.ingest.rewinds");
        double rereadBefore = counter("posflow.ingest.rewound.records");

        // what a replica promoted LOST commits behind holds: neither the last rows nor the mark that covered them
        long k = end - LOST;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, "delete from positions where kafka_topic = ? and kafka_partition = ?"
                    + " and kafka_offset >= ?", TOPIC, partition, k);
            execute(connection, "update ingest_offsets set next_offset = ? where kafka_topic = ?"
                    + " and kafka_partition = ?", k, TOPIC, partition);
            execute(connection, "update latest_positions l join (select source, count(*) as row_count,"
                    + " max(kafka_offset) as kafka_offset from positions where source = ? group by source) p"
                    + " on p.source = l.source set l.row_count = p.row_count, l.kafka_offset = p.kafka_offset", SOURCE);
            connection.commit();
        }
        assertEquals(BEFORE - LOST, stored());

        List<RecordMetadata> more = send(BEFORE, AFTER);
        long last = more.get(AFTER - 1).offset();

        await().atMost(Duration.ofSeconds(90)).until(() -> stored() == BEFORE + AFTER && mark(partition) > last);
        assertEquals(BEFORE + AFTER, Rows.count("select count(distinct x) from positions where source = ?", SOURCE),
                "every record once");
        assertEquals(0, Rows.count("select count(*) - count(distinct kafka_incarnation, kafka_partition,"
                + " kafka_offset) from positions where kafka_topic = ?", TOPIC), "no duplicate");
        assertEquals(BEFORE + AFTER, Rows.count("select count(*) from positions where source = ?"
                + " and kafka_offset between ? and ?", SOURCE, first, last));
        assertEquals(BEFORE + AFTER, Rows.count("select row_count from latest_positions where source = ?", SOURCE));
        assertTrue(counter("posflow.ingest.rewinds") - rewindsBefore >= 1, "the rewind is counted");
        assertEquals(LOST, counter("posflow.ingest.rewound.records") - rereadBefore,
                "offsets whose commits the database lost");
    }

    private static List<RecordMetadata> send(int from, int count) {
        return TestKafka.sendKeyed(TOPIC, SOURCE,
                IntStream.range(from, from + count).mapToObj(i -> VALUE.formatted(i, i)).toArray(String[]::new));
    }

    private static long stored() {
        return Rows.count("select count(*) from positions where source = ?", SOURCE);
    }

    private static long mark(int partition) {
        return Rows.count("select coalesce(max(next_offset), -1) from ingest_offsets where kafka_topic = ?"
                + " and kafka_partition = ?", TOPIC, partition);
    }

    private double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
