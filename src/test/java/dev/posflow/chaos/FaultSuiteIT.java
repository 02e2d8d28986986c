package dev.posflow.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under faults, against the packaged service and a broker, each in a process of its own, and the real
 * MariaDB/MySQL: every scenario checks that rows == records produced, with no duplicate and no sequence number
 * missing. The figures go to target/faults/results.md.
 */
class FaultSuiteIT {

    private static final int RECORDS = 100_000;
    private static final Duration PRODUCTION = Duration.ofSeconds(20);
    private static final Duration INGESTED = Duration.ofMinutes(3);

    private static KafkaProcess kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new KafkaProcess("suite");
        kafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void killNineSeveralTimesWhileIngestingLosesAndDoublesNothing() throws Exception {
        Scenario s = new Scenario("kill9", 4);
        try (AppProcess app = s.app("kill9-a", Database.PORT)) {
            app.start();
            CompletableFuture<Void> feed = Feed.start(kafka.bootstrapServers(), s.topic, RECORDS, PRODUCTION,
                    Feed::good);
            long slowestStart = 0;
            long slowestResume = 0;
            int kills = 0;
            for (; kills < 3; kills++) {
                // at a fifth, two fifths and three fifths of the records: each kill lands mid-ingest
                long killAt = (kills + 1L) * RECORDS / 5;
                await().atMost(Duration.ofMinutes(1)).until(() -> s.db.rows() >= killAt);
                app.kill9();
                long rowsAtKill = s.db.rows();
                long restarted = System.nanoTime();
                app.start();
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> app.readiness() == 200);
                long ready = System.nanoTime();
                // static membership: the restarted instance gets its partitions back without waiting for the
                // dead member's session to time out
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> s.db.rows() > rowsAtKill || feed.isDone() && s.db.rows() == RECORDS);
                slowestStart = Math.max(slowestStart, (ready - restarted) / 1_000_000);
                slowestResume = Math.max(slowestResume, (System.nanoTime() - ready) / 1_000_000);
            }
            feed.get(2, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS);
            s.report("1. kill -9 ×" + kills + " during ingest, 4 partitions", RECORDS, kills + " × kill -9",
                    "JVM start ≤ " + slowestStart / 1000.0 + " s, then next row ≤ "
                            + slowestResume / 1000.0 + " s");
        }
    }

    @Test
    void brokerStoppedNinetySecondsMidIngestResumesByItself() throws Exception {
        Scenario s = new Scenario("broker", 4);
        try (AppProcess app = s.app("broker-a", Database.PORT)) {
            CompletableFuture<Void> feed = s.ingestingMidway(app);
            kafka.stop();
            // the outage itself: a duration, not a wait for a condition; longer than the Kafka client's default API
            // timeout (60 s), which stopped the ingest channel for good before posflow raised it
            TimeUnit.SECONDS.sleep(90);
            long restarted = System.nanoTime();
            kafka.start();
            long rowsAtRestart = s.db.rows();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> s.db.rows() > rowsAtRestart);
            long recovery = (System.nanoTime() - restarted) / 1_000_000;
            feed.get(3, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS);
            assertTrue(app.alive(), "the service kept running through the broker outage");
            s.report("2. broker stopped 90 s mid-ingest", RECORDS, "broker down 90 s",
                    "broker back to next row " + recovery / 1000.0 + " s");
        }
    }

    @Test
    void databaseUnreachableThirtySecondsMidIngestMakesTheServiceNotReadyAndSkipsNothing() throws Exception {
        Scenario s = new Scenario("mysql", 4);
        try (DatabaseProxy proxy = new DatabaseProxy(Database.PORT);
                AppProcess app = s.app("mysql-a", proxy.port())) {
            CompletableFuture<Void> feed = s.ingestingMidway(app);
            await().atMost(Duration.ofMinutes(1)).until(() -> app.readiness() == 200);
            proxy.cut();
            long cut = System.nanoTime();
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(250))
                    .until(() -> app.readiness() == 503);
            long rowsDuringCut = s.db.rows();
            // the rest of the 30 s outage
            TimeUnit.NANOSECONDS.sleep(Math.max(0, Duration.ofSeconds(30).toNanos() - (System.nanoTime() - cut)));
            assertEquals(rowsDuringCut, s.db.rows(), "nothing is stored while the database is unreachable");
            proxy.restore();
            long restored = System.nanoTime();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> s.db.rows() > rowsDuringCut);
            long recovery = (System.nanoTime() - restored) / 1_000_000;
            await().atMost(Duration.ofMinutes(1)).until(() -> app.readiness() == 200);
            feed.get(3, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS);
            s.report("3. MySQL unreachable 30 s mid-ingest (ready: 503 during, 200 after)", RECORDS,
                    "database cut 30 s", "database back to next row " + recovery / 1000.0 + " s");
        }
    }

    @Test
    void twoInstancesShareFourPartitionsAndTheSurvivorTakesOverFromOneKilled() throws Exception {
        Scenario s = new Scenario("pair", 4);
        try (AppProcess a = s.app("pair-a", Database.PORT); AppProcess b = s.app("pair-b", Database.PORT)) {
            a.start();
            b.start();
            await().atMost(Duration.ofMinutes(1)).until(() -> a.readiness() == 200 && b.readiness() == 200);
            CompletableFuture<Void> feed = Feed.start(kafka.bootstrapServers(), s.topic, RECORDS, PRODUCTION,
                    Feed::good);
            await().atMost(Duration.ofMinutes(1)).until(() -> s.db.rows() > RECORDS / 4);
            a.kill9();
            long killed = System.nanoTime();
            long rowsAtKill = s.db.rows();
            feed.get(2, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS);
            assertTrue(b.alive());
            s.report("4. two instances, 4 partitions, one killed -9 midway", RECORDS, "1 × kill -9 (not restarted)",
                    "all stored " + (System.nanoTime() - killed) / 1_000_000_000 + " s after the kill (at "
                            + rowsAtKill + " rows)");
        }
    }

    @Test
    void thousandPoisonRecordsAmongHundredThousandGoodOnesGoToTheDeadLetterTopic() throws Exception {
        Scenario s = new Scenario("poison", 4);
        int poison = 1_000;
        int total = RECORDS + poison;
        try (AppProcess app = s.app("poison-a", Database.PORT)) {
            app.start();
            // every 101st record is poison: alternately not JSON and a sample without y
            Feed.start(kafka.bootstrapServers(), s.topic, total, Duration.ofSeconds(5), i -> i % 101 == 100
                    ? (i % 2 == 0 ? "not json " + i : "{\"id\": \"2021/04/10-20:51:36:287301\", \"x\": " + i + "}")
                    : Feed.good(i - i / 101)).get(2, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS, total);
            List<ConsumerRecord<String, String>> dead = s.deadLetters();
            Set<String> originals = new HashSet<>();
            for (ConsumerRecord<String, String> letter : dead) {
                assertTrue(new String(letter.headers().lastHeader("dead-letter-reason").value(),
                        StandardCharsets.UTF_8).length() > 0);
                originals.add(header(letter, "dead-letter-partition") + "@" + header(letter, "dead-letter-offset"));
            }
            assertEquals(poison, originals.size(), "every poison record has its dead letter");
            s.report("5. 1,000 poison among 100,000 good", total, "1,000 poison records", "-");
        }
    }

    @Test
    void sigtermDuringIngestDrainsAndCommitsSoNothingIsReadAgain() throws Exception {
        Scenario s = new Scenario("sigterm", 4);
        try (AppProcess app = s.app("sigterm-a", Database.PORT)) {
            CompletableFuture<Void> feed = s.ingestingMidway(app);
            long signalled = System.nanoTime();
            int exit = app.terminate(Duration.ofSeconds(30));
            long exitMillis = (System.nanoTime() - signalled) / 1_000_000;
            long rows = s.db.rows();
            // a row for every offset MySQL says is done: the last batch was not cut in half
            assertEquals(s.db.storedOffsetsSum(), rows);
            long kafkaCommitted = s.committedOffsetsSum();
            app.start();
            feed.get(2, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS);
            s.report("6. SIGTERM during ingest (exit " + exit + " in " + exitMillis + " ms)", RECORDS, "1 × SIGTERM",
                    "Kafka's committed offsets " + (rows - kafkaCommitted) + " behind MySQL at exit");
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** One scenario's topic, database and clock. */
    private static final class Scenario {

        final String topic;
        final Database db;
        final long started = System.nanoTime();

        Scenario(String name, int partitions) throws Exception {
            topic = "fault-" + name;
            db = new Database("posflow_faultsuite_" + name);
            Feed.createTopic(kafka.bootstrapServers(), topic, partitions);
        }

        /** Starts the service and the feed, and returns once a tenth of the records are stored. */
        CompletableFuture<Void> ingestingMidway(AppProcess app) throws Exception {
            app.start();
            CompletableFuture<Void> feed = Feed.start(kafka.bootstrapServers(), topic, RECORDS, PRODUCTION,
                    Feed::good);
            await().atMost(Duration.ofMinutes(1)).until(() -> db.rows() >= RECORDS / 10);
            return feed;
        }

        AppProcess app(String instance, int databasePort) {
            return new AppProcess(instance, kafka.bootstrapServers(), databasePort, db.name(), topic);
        }

        void awaitAllStored(int expected) throws Exception {
            awaitAllStored(expected, expected);
        }

        /**
         * Waits until MySQL's offsets mark every produced record as done (the topic is new, so its offsets sum to the
         * records produced): from then on no row can land, and the counts are final.
         */
        void awaitAllStored(int expected, long produced) throws Exception {
            await().atMost(INGESTED).pollInterval(Duration.ofMillis(500))
                    .until(() -> db.storedOffsetsSumOrZero() >= produced);
            assertEquals(produced, db.storedOffsetsSum(), "offsets stored");
            assertEquals(expected, db.rows(), "rows");
            assertEquals(0, db.duplicates(), "duplicate Kafka records");
            assertEquals(expected, db.distinctSequences(), "distinct sequence numbers");
        }

        /** Every record of the scenario's dead-letter topic (taken once ingest is done: see {@link #awaitAllStored}). */
        List<ConsumerRecord<String, String>> deadLetters() throws Exception {
            return Feed.deadLetters(kafka.bootstrapServers(), topic + "-dlq");
        }

        long committedOffsetsSum() throws Exception {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(topic)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
            }
        }

        /** Records the scenario's figures, the dead letters counted on the dead-letter topic. */
        void report(String name, long records, String faults, String recovery) throws Exception {
            Results.record(name, records, faults, db.rows(), db.duplicates(), deadLetters().size(), recovery,
                    (System.nanoTime() - started) / 1_000_000_000);
            db.drop();
        }
    }
}
