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
 * would lack them (chaos/DatabaseFailoverIT does it with a real replica). A batch finds the loss as it writes; a
 * partition that gets no new records is found by the periodic check of the marks (posflow.ingest.marks-check, 1 s in
 * tests), also when the database lost the partition's mark altogether.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DatabaseBackInTimeTest {

    private static final String TOPIC = "JSON";
    private static final String SOURCE = "back-in-time";
    private static final String IDLE_SOURCE = "back-in-time-idle";
    private static final String MARK_LOST_SOURCE = "back-in-time-no-mark";
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
        List<RecordMetadata> sent = send(SOURCE, 0, BEFORE);
        int partition = sent.get(0).partition();
        long first = sent.get(0).offset();
        long end = sent.get(BEFORE - 1).offset() + 1;
        awaitStored(SOURCE, BEFORE, partition, end);
        double rewindsBefore = counter("posflow.ingest.rewinds");
        double rereadBefore = counter("posflow.ingest.rewound.records");

        // what a replica promoted LOST commits behind holds: neither the last rows nor the mark that covered them
        goBackInTime(SOURCE, partition, end - LOST, false);

        // the periodic check may find the loss before the next batch does: either way it is read again once
        List<RecordMetadata> more = send(SOURCE, BEFORE, AFTER);
        long last = more.get(AFTER - 1).offset();

        awaitStored(SOURCE, BEFORE + AFTER, partition, last + 1);
        assertEveryRecordOnce(SOURCE, BEFORE + AFTER);
        assertEquals(BEFORE + AFTER, Rows.count("select count(*) from positions where source = ?"
                + " and kafka_offset between ? and ?", SOURCE, first, last));
        assertEquals(BEFORE + AFTER, Rows.count("select row_count from latest_positions where source = ?", SOURCE));
        assertTrue(counter("posflow.ingest.rewinds") - rewindsBefore >= 1, "the rewind is counted");
        assertEquals(LOST, counter("posflow.ingest.rewound.records") - rereadBefore,
                "offsets whose commits the database lost");
    }

    @Test
    void lostCommitsOfAPartitionThatGetsNoNewRecordsAreFoundAndReadAgain() throws Exception {
        List<RecordMetadata> sent = send(IDLE_SOURCE, 0, BEFORE);
        int partition = sent.get(0).partition();
        long end = sent.get(BEFORE - 1).offset() + 1;
        awaitStored(IDLE_SOURCE, BEFORE, partition, end);
        double rereadBefore = counter("posflow.ingest.rewound.records");

        goBackInTime(IDLE_SOURCE, partition, end - LOST, false);

        // nothing more is sent: no batch will ever write this partition again, the check must find the loss
        awaitStored(IDLE_SOURCE, BEFORE, partition, end);
        assertEveryRecordOnce(IDLE_SOURCE, BEFORE);
        assertEquals(LOST, counter("posflow.ingest.rewound.records") - rereadBefore,
                "offsets whose commits the database lost");
    }

    @Test
    void aPartitionWhoseMarkTheDatabaseLostAltogetherIsReadAgainFromItsStart() throws Exception {
        List<RecordMetadata> sent = send(MARK_LOST_SOURCE, 0, BEFORE);
        int partition = sent.get(0).partition();
        long end = sent.get(BEFORE - 1).offset() + 1;
        awaitStored(MARK_LOST_SOURCE, BEFORE, partition, end);

        // a replica promoted before it applied the partition's first batch: no row of it, and no mark at all
        goBackInTime(MARK_LOST_SOURCE, partition, sent.get(0).offset(), true);

        awaitStored(MARK_LOST_SOURCE, BEFORE, partition, end);
        assertEveryRecordOnce(MARK_LOST_SOURCE, BEFORE);
    }

    /** Removes a source's rows from offset k on, and lowers the partition's mark to k (or deletes it). */
    private void goBackInTime(String source, int partition, long k, boolean markLost) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            execute(connection, "delete from positions where kafka_topic = ? and kafka_partition = ?"
                    + " and kafka_offset >= ? and source = ?", TOPIC, partition, k, source);
            if (markLost) {
                execute(connection, "delete from ingest_offsets where kafka_topic = ? and kafka_partition = ?", TOPIC,
                        partition);
            } else {
                execute(connection, "update ingest_offsets set next_offset = ? where kafka_topic = ?"
                        + " and kafka_partition = ?", k, TOPIC, partition);
            }
            execute(connection, "update latest_positions l join (select source, count(*) as row_count,"
                    + " max(kafka_offset) as kafka_offset from positions where source = ? group by source) p"
                    + " on p.source = l.source set l.row_count = p.row_count, l.kafka_offset = p.kafka_offset", source);
            connection.commit();
        }
    }

    private static List<RecordMetadata> send(String source, int from, int count) {
        return TestKafka.sendKeyed(TOPIC, source,
                IntStream.range(from, from + count).mapToObj(i -> VALUE.formatted(i, i)).toArray(String[]::new));
    }

    private static long stored(String source) {
        return Rows.count("select count(*) from positions where source = ?", source);
    }

    /** Until the source has {@code rows} rows and the partition's mark reaches {@code mark}. */
    private static void awaitStored(String source, int rows, int partition, long mark) {
        await().atMost(Duration.ofSeconds(90)).until(() -> stored(source) == rows && mark(partition) >= mark);
    }

    private static void assertEveryRecordOnce(String source, int records) {
        assertEquals(records, Rows.count("select count(distinct x) from positions where source = ?", source),
                "every record once");
        assertEquals(0, Rows.count("select count(*) - count(distinct kafka_incarnation, kafka_partition,"
                + " kafka_offset) from positions where kafka_topic = ?", TOPIC), "no duplicate");
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
