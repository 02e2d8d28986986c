package dev.posflow.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/**
 * What operators do to Kafka itself, against the packaged service, brokers in processes of their own and the real
 * MariaDB/MySQL: a topic deleted and created again (service stopped, and running), a migrated cluster (another broker,
 * same topic name, offsets from 0), and retention deleting records the service had not read. Each ends with exact
 * counts: the old rows kept, every new record stored once, and what Kafka deleted counted as skipped, with WARN lines
 * saying so. The figures go to target/faults/results.md.
 */
class IncarnationSuiteIT {

    private static final Duration INGESTED = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void topicRecreatedWhileStoppedIsANewIncarnationStoredInFullBesideTheOldRows() throws Exception {
        try (KafkaProcess kafka = new KafkaProcess("recreate-stopped")) {
            kafka.start();
            Scenario s = new Scenario("recreate_stopped");
            Feed.createTopic(kafka.bootstrapServers(), s.topic, 2);
            try (AppProcess app = s.app("recreate-stopped-a", kafka.bootstrapServers())) {
                app.start();
                produce(kafka.bootstrapServers(), s.topic, 1_000, 0);
                s.awaitRows(1_000);
                app.terminate(Duration.ofSeconds(30));
                String oldId = topicId(kafka.bootstrapServers(), s.topic);

                recreate(kafka.bootstrapServers(), s.topic, 2, oldId);
                produce(kafka.bootstrapServers(), s.topic, 500, 10_000);
                app.start();
                s.awaitRows(1_500);

                s.assertStored(Map.of(0, 1_000L, 1, 500L));
                assertEquals(2, s.warnings(app, "replaces #0"), "one WARN per partition");
                assertEquals(1.0, metric(app, "posflow_ingest_incarnations_total", "topic-recreated"));
                assertEquals(0.0, metric(app, "posflow_ingest_skipped_records_total", "retention"));
                s.report("7. topic deleted and created again while stopped, 2 partitions", kafka.bootstrapServers(), 1_500,
                        "topic recreated (1,000 old + 500 new)", "0 (new incarnation #1 from offset 0)");
            }
        }
    }

    @Test
    void topicRecreatedWhileRunningIsNoticedAndItsRecordsAreStored() throws Exception {
        try (KafkaProcess kafka = new KafkaProcess("recreate-running")) {
            kafka.start();
            Scenario s = new Scenario("recreate_running");
            Feed.createTopic(kafka.bootstrapServers(), s.topic, 1);
            try (AppProcess app = s.app("recreate-running-a", kafka.bootstrapServers())) {
                app.start();
                produce(kafka.bootstrapServers(), s.topic, 1_000, 0);
                s.awaitRows(1_000);
                String oldId = topicId(kafka.bootstrapServers(), s.topic);

                long recreated = System.nanoTime();
                recreate(kafka.bootstrapServers(), s.topic, 1, oldId);
                produce(kafka.bootstrapServers(), s.topic, 500, 10_000);
                s.awaitRows(1_500);
                long stored = (System.nanoTime() - recreated) / 1_000_000;

                s.assertStored(Map.of(0, 1_000L, 1, 500L));
                assertTrue(app.alive());
                assertEquals(1, s.warnings(app, "replaces #0"), "one WARN for the one partition");
                assertEquals(1.0, metric(app, "posflow_ingest_incarnations_total", "topic-recreated"));
                s.report("8. topic deleted and created again while running, 1 partition", kafka.bootstrapServers(), 1_500,
                        "topic recreated (1,000 old + 500 new)",
                        "0; new records all stored " + stored / 1000.0 + " s after the deletion");
            }
        }
    }

    @Test
    void anotherClusterWithTheSameTopicIsANewIncarnationFromOffsetZero() throws Exception {
        try (KafkaProcess old = new KafkaProcess("migrated-old");
                KafkaProcess next = new KafkaProcess("migrated-new")) {
            old.start();
            next.start();
            Scenario s = new Scenario("migrated");
            Feed.createTopic(old.bootstrapServers(), s.topic, 2);
            try (AppProcess before = s.app("migrated-a", old.bootstrapServers())) {
                before.start();
                produce(old.bootstrapServers(), s.topic, 1_000, 0);
                s.awaitRows(1_000);
                before.terminate(Duration.ofSeconds(30));
            }
            old.stop();
            Feed.createTopic(next.bootstrapServers(), s.topic, 2);
            produce(next.bootstrapServers(), s.topic, 500, 10_000);
            try (AppProcess after = s.app("migrated-b", next.bootstrapServers())) {
                after.start();
                s.awaitRows(1_500);

                s.assertStored(Map.of(0, 1_000L, 1, 500L));
                assertEquals(2, s.warnings(after, "another Kafka cluster"), "one WARN per partition");
                assertEquals(1.0, metric(after, "posflow_ingest_incarnations_total", "cluster-changed"));
                s.report("9. another cluster (second broker), same topic, offsets from 0, 2 partitions",
                        next.bootstrapServers(), 1_500,
                        "cluster migrated (1,000 old + 500 new)", "0 (new incarnation #1 from offset 0)");
            }
        }
    }

    @Test
    void recordsDeletedByRetentionWhileStoppedAreCountedAsSkippedAndTheRestIsStored() throws Exception {
        try (KafkaProcess kafka = new KafkaProcess("retention")) {
            kafka.start();
            Scenario s = new Scenario("retention");
            TopicPartition partition = new TopicPartition(s.topic, 0);
            try (Admin admin = admin(kafka.bootstrapServers())) {
                // segments of 1 MB (the least Kafka 4 allows): about 10,000 records each, so that retention, which
                // deletes whole segments only, has some to delete
                admin.createTopics(List.of(new NewTopic(s.topic, 1, (short) 1)
                        .configs(Map.of("segment.bytes", "1048576")))).all().get(30, TimeUnit.SECONDS);
            }
            int read = 5_000;
            int whileStopped = 45_000;
            try (AppProcess app = s.app("retention-a", kafka.bootstrapServers())) {
                app.start();
                produce(kafka.bootstrapServers(), s.topic, read, 0);
                s.awaitRows(read);
                app.terminate(Duration.ofSeconds(30));
                produce(kafka.bootstrapServers(), s.topic, whileStopped, read);

                // an operator caps the partition at 1 MB; the broker's retention task (30 s after its start, then
                // every 5 min) deletes the oldest segments beyond it, records posflow has not read among them
                setRetention(kafka.bootstrapServers(), s.topic, "1048576");
                kafka.stop();
                kafka.start();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> offsets(kafka.bootstrapServers(), partition, OffsetSpec.earliest()) > read);
                setRetention(kafka.bootstrapServers(), s.topic, "-1");
                produce(kafka.bootstrapServers(), s.topic, 1_000, 100_000);
                long logStart = offsets(kafka.bootstrapServers(), partition, OffsetSpec.earliest());
                long end = offsets(kafka.bootstrapServers(), partition, OffsetSpec.latest());
                long deleted = logStart - read;
                assertTrue(logStart < read + whileStopped, "retention left records posflow has yet to read");

                app.start();
                long expected = read + (end - logStart);
                s.awaitRows(expected);

                s.assertStored(Map.of(0, expected));
                assertEquals(expected, s.db.count("select count(distinct x) from positions"));
                assertEquals(0, s.db.count("select count(*) from positions where kafka_offset >= " + read
                        + " and kafka_offset < " + logStart), "no row from the deleted offsets");
                assertEquals(1, s.warnings(app, "deleted by Kafka (log start offset " + logStart + ")"));
                assertEquals((double) deleted, metric(app, "posflow_ingest_skipped_records_total", "retention"),
                        "skipped = what Kafka deleted");
                s.report("10. retention shortened while stopped: Kafka deleted " + deleted + " unread records",
                        kafka.bootstrapServers(),
                        read + whileStopped + 1_000, "retention.bytes 1 MB, broker restarted (log start "
                                + logStart + "), 1,000 more",
                        "skipped " + deleted + " = log start " + logStart + " - mark " + read + ", counted");
            }
        }
    }

    private static void produce(String bootstrapServers, String topic, int count, int firstX) throws Exception {
        Feed.start(bootstrapServers, topic, count, Duration.ofMillis(count / 10), i -> Feed.good(firstX + i))
                .get(2, TimeUnit.MINUTES);
    }

    /** Deletes the topic and creates it again, as an operator does; its offsets restart at 0 under a new id. */
    private static void recreate(String bootstrapServers, String topic, int partitions, String oldId) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            // deletion completes in the background; a running consumer may also create the topic again by itself
            // (allow.auto.create.topics): either way a new id is the new incarnation
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        String id = topicId(bootstrapServers, topic);
                        return id != null && !id.equals(oldId);
                    }
                    throw e;
                }
            });
        }
    }

    private static String topicId(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .topicId().toString();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    private static void setRetention(String bootstrapServers, String topic, String bytes) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(new ConfigEntry("retention.bytes", bytes), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static long offsets(String bootstrapServers, TopicPartition partition, OffsetSpec spec) throws Exception {
        try (Admin admin = admin(bootstrapServers)) {
            return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** A counter of /q/metrics with the given reason tag; 0 when absent. */
    private static double metric(AppProcess app, String name, String reason) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.managementPort() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher line = Pattern.compile("(?m)^" + name + "\\{[^}]*reason=\"" + Pattern.quote(reason)
                + "\"[^}]*} (\\S+)$").matcher(body);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    /** One scenario's topic, database and clock. */
    private static final class Scenario {

        final String topic;
        final Database db;
        final long started = System.nanoTime();

        Scenario(String name) throws Exception {
            topic = "incarnation-" + name;
            db = new Database("posflow_incarnation_" + name);
        }

        AppProcess app(String instance, String bootstrapServers) {
            return new AppProcess(instance, bootstrapServers, Database.PORT, db.name(), topic);
        }

        void awaitRows(long expected) throws Exception {
            await().atMost(INGESTED).pollInterval(Duration.ofMillis(500)).until(() -> db.rows() >= expected);
            // a little longer, to see any row beyond the expected ones land
            TimeUnit.SECONDS.sleep(2);
            assertEquals(expected, db.rows(), "rows");
        }

        /** Rows per incarnation, none twice, every sequence number once. */
        void assertStored(Map<Integer, Long> rowsPerIncarnation) throws Exception {
            long total = 0;
            for (Map.Entry<Integer, Long> incarnation : rowsPerIncarnation.entrySet()) {
                assertEquals(incarnation.getValue(), db.count("select count(*) from positions"
                        + " where kafka_incarnation = " + incarnation.getKey()),
                        "rows of incarnation #" + incarnation.getKey());
                total += incarnation.getValue();
            }
            assertEquals(total, db.rows(), "rows");
            assertEquals(0, db.count("select count(*) - count(distinct kafka_incarnation, kafka_partition,"
                    + " kafka_offset) from positions"), "duplicate Kafka records");
            assertEquals(total, db.distinctSequences(), "distinct sequence numbers");
        }

        /** WARN lines of posflow's ingest in the app's latest log that contain the text. */
        long warnings(AppProcess app, String text) throws IOException {
            try (var lines = Files.lines(app.log())) {
                return lines.filter(line -> line.contains("WARN") && line.contains("dev.posflow.ingest")
                        && line.contains(text)).peek(System.out::println).count();
            }
        }

        void report(String name, String bootstrapServers, long records, String faults, String recovery)
                throws Exception {
            Results.record(name, records, faults, db.rows(), db.count("select count(*) - count(distinct"
                    + " kafka_incarnation, kafka_partition, kafka_offset) from positions"),
                    Feed.deadLetters(bootstrapServers, topic + "-dlq").size(), recovery,
                    (System.nanoTime() - started) / 1_000_000_000);
            db.drop();
        }
    }
}
