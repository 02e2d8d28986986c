package dev.posflow.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.TestDatabase;

/**
 * Exactly-once when Kafka loses a partition leader, against the packaged service, a three-node KRaft cluster of Kafka
 * processes (topics with three replicas, min.insync.replicas=2) and the real MariaDB/MySQL. A node is SIGKILLed while
 * it leads, and later restarted (once with its data directory deleted in between); every scenario ends with exact
 * counts: rows = records, no duplicate Kafka record, every sample answered 202 stored once. The figures go to
 * target/faults/results.md.
 */
class KafkaFailoverIT {

    private static final int RECORDS = 60_000;
    private static final int PARTITIONS = 4;
    private static final Duration PRODUCTION = Duration.ofSeconds(20);
    private static final Duration INGESTED = Duration.ofMinutes(10);

    private static KafkaCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new KafkaCluster("failover");
        cluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void partitionLeaderKilledNineDuringIngestAndRestartedLosesAndDoublesNothing() throws Exception {
        Scenario s = new Scenario("leader");
        try (AppProcess app = s.app("leader-a")) {
            CompletableFuture<Void> feed = s.ingestingMidway(app);
            int leader = cluster.leaderOf(s.topic, 0);
            cluster.kill9(leader);
            long killed = System.nanoTime();
            long rowsAtKill = s.db.rows();
            cluster.awaitLeadersAndIsr(s.topic, leader, 2, Duration.ofMinutes(3));
            long elected = (System.nanoTime() - killed) / 1_000_000;
            await().atMost(Duration.ofMinutes(3)).until(() -> s.db.rows() > rowsAtKill);
            long resumed = (System.nanoTime() - killed) / 1_000_000;
            // the node stays down a while, as a crashed host does, while two replicas carry on
            TimeUnit.SECONDS.sleep(10);
            cluster.restart(leader);
            feed.get(10, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS);
            cluster.awaitLeadersAndIsr(s.topic, -1, 3, Duration.ofMinutes(5));
            assertTrue(app.alive());
            s.report("11. partition leader (node " + leader + ") kill -9 mid-ingest, restarted 10 s later; RF 3, "
                    + "min ISR 2", RECORDS, "1 × kill -9 of the leader", "new leaders " + elected / 1000.0
                            + " s after the kill, next row " + resumed / 1000.0 + " s");
        }
    }

    @Test
    void brokerWhoseDiskIsLostRebuildsFromItsReplicasAndLaterLeadsWithNothingLost() throws Exception {
        Scenario s = new Scenario("disk");
        try (AppProcess app = s.app("disk-a")) {
            CompletableFuture<Void> feed = s.ingestingMidway(app);
            int wiped = cluster.leaderOf(s.topic, 0);
            cluster.kill9(wiped);
            cluster.deleteDataDir(wiped);
            cluster.awaitLeadersAndIsr(s.topic, wiped, 2, Duration.ofMinutes(3));
            TimeUnit.SECONDS.sleep(5);
            long restarted = System.nanoTime();
            cluster.restart(wiped);
            // back in sync means its replicas were copied again from the two survivors
            cluster.awaitLeadersAndIsr(s.topic, -1, 3, Duration.ofMinutes(5));
            long rebuilt = (System.nanoTime() - restarted) / 1_000_000;
            // now a survivor dies: its partitions can only be led from the rebuilt copy or the third node
            int other = wiped % KafkaCluster.NODES + 1;
            cluster.kill9(other);
            cluster.awaitLeadersAndIsr(s.topic, other, 2, Duration.ofMinutes(3));
            feed.get(10, TimeUnit.MINUTES);
            s.awaitAllStored(RECORDS);
            cluster.restart(other);
            cluster.awaitLeadersAndIsr(s.topic, -1, 3, Duration.ofMinutes(5));
            assertTrue(app.alive());
            s.report("12. node " + wiped + " kill -9 and its log directory deleted, restarted; then node " + other
                    + " kill -9", RECORDS, "disk lost + 2 × kill -9", "wiped node back in sync " + rebuilt / 1000.0
                            + " s after its restart");
        }
    }

    @Test
    void postsDuringLeaderLossAreStoredOnceWhenAnswered202AndCountedWhenAnswered503() throws Exception {
        Scenario s = new Scenario("post");
        try (AppProcess app = s.app("post-a").with("POSFLOW_PUBLISH_TOPIC", s.topic)
                .with("POSFLOW_PUBLISH_RATE_LIMIT", "1000000")) {
            app.start();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> app.readiness() == 200);
            Load load = new Load(app.port(), 4);
            load.start();
            TimeUnit.SECONDS.sleep(10);
            int leader = cluster.leaderOf(s.topic, 0);
            cluster.kill9(leader);
            long killed = System.nanoTime();
            cluster.awaitLeadersAndIsr(s.topic, leader, 2, Duration.ofMinutes(3));
            long elected = (System.nanoTime() - killed) / 1_000_000;
            TimeUnit.SECONDS.sleep(10);
            cluster.restart(leader);
            TimeUnit.SECONDS.sleep(10);
            load.stop();

            long records = s.endOffsetsSum();
            s.awaitAllStored(records, records);
            Map<Long, Integer> stored = s.db.rowsPerSequence();
            long accepted = 0;
            long refused = 0;
            long refusedButStored = 0;
            long other = 0;
            for (Map.Entry<Long, Integer> answer : load.statuses.entrySet()) {
                int rows = stored.getOrDefault(answer.getKey(), 0);
                if (answer.getValue() == 202) {
                    accepted++;
                    assertEquals(1, rows, "sample " + answer.getKey() + " answered 202 is stored exactly once");
                } else if (answer.getValue() == 503) {
                    refused++;
                    // the producer may still deliver a sample after the request gave up waiting: once at most
                    assertTrue(rows <= 1, "sample " + answer.getKey() + " answered 503 stored " + rows + " times");
                    refusedButStored += rows;
                } else {
                    other++;
                }
            }
            assertEquals(0, other, "answers other than 202 and 503: " + load.others);
            assertEquals(records, accepted + refusedButStored, "every record in the topic is an answered sample");
            System.out.printf("KAFKA FAILOVER POST: %,d samples posted, %,d answered 202 (all stored once), %,d "
                    + "answered 503 (%,d of them stored anyway, none twice); new leaders %.1f s after the kill%n",
                    load.statuses.size(), accepted, refused, refusedButStored, elected / 1000.0);
            s.report("13. POST /positions load, partition leader (node " + leader + ") kill -9, restarted 10 s later",
                    records, "1 × kill -9 of the leader; " + load.statuses.size() + " POSTs: " + accepted + " × 202, "
                            + refused + " × 503 (" + refusedButStored + " of those stored anyway)",
                    "new leaders " + elected / 1000.0 + " s after the kill");
        }
    }

    /** Threads posting one sample per request, each with its own sequence number in x, and every answer kept. */
    private static final class Load {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;
        private final int threads;
        private final ExecutorService pool;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger next = new AtomicInteger();
        private final List<CompletableFuture<Void>> workers = new ArrayList<>();
        final Map<Long, Integer> statuses = new ConcurrentHashMap<>();
        final Map<Integer, String> others = new ConcurrentHashMap<>();

        Load(int port, int threads) {
            this.port = port;
            this.threads = threads;
            this.pool = Executors.newFixedThreadPool(threads);
        }

        void start() {
            for (int t = 0; t < threads; t++) {
                workers.add(CompletableFuture.runAsync(this::post, pool));
            }
        }

        void stop() throws Exception {
            running.set(false);
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            pool.shutdown();
        }

        private void post() {
            while (running.get()) {
                int i = next.getAndIncrement();
                String body = Feed.good(i).replace("\"source\": \"fault\"", "\"source\": \"post-" + i % 16 + "\"");
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/positions"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    statuses.put((long) i, response.statusCode());
                    if (response.statusCode() != 202 && response.statusCode() != 503) {
                        others.put(response.statusCode(), response.body());
                    }
                } catch (Exception e) {
                    statuses.put((long) i, 0);
                    others.put(0, e.toString());
                }
            }
        }
    }

    /** One scenario's replicated topic, database and clock. */
    private static final class Scenario {

        final String topic;
        final Database db;
        final long started = System.nanoTime();

        Scenario(String name) throws Exception {
            topic = "failover-" + name;
            db = new Database("kafkafailover_" + name + "_" + TestDatabase.database());
            Feed.createReplicatedTopic(cluster.bootstrapServers(), topic, PARTITIONS);
        }

        AppProcess app(String instance) {
            // Agroal's default 5 s to get a connection has failed Liquibase's first one on a loaded CI machine
            return new AppProcess(instance, cluster.bootstrapServers(), Database.PORT, db.name(), topic)
                    .with("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "60S");
        }

        /** Starts the service and the feed, and returns once a fifth of the records are stored. */
        CompletableFuture<Void> ingestingMidway(AppProcess app) throws Exception {
            app.start();
            CompletableFuture<Void> feed = Feed.start(cluster.bootstrapServers(), topic, RECORDS, PRODUCTION,
                    Feed::good);
            // generous: on a CI machine shared with other builds the service has been seen to take minutes to start
            await().atMost(Duration.ofMinutes(10)).until(() -> db.rows() >= RECORDS / 5);
            return feed;
        }

        /** The records in the topic: its end offsets (no transactions write to it, so no markers among them). */
        long endOffsetsSum() throws Exception {
            try (Admin admin = cluster.admin()) {
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
                return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                        .mapToLong(info -> info.offset()).sum();
            }
        }

        void awaitAllStored(long records) throws Exception {
            awaitAllStored(records, records);
        }

        /** Waits until MySQL's offsets mark every record as done; from then on the counts are final. */
        void awaitAllStored(long expected, long produced) throws Exception {
            await().atMost(INGESTED).pollInterval(Duration.ofMillis(500))
                    .until(() -> db.storedOffsetsSumOrZero() >= produced);
            assertEquals(produced, db.storedOffsetsSum(), "offsets stored");
            assertEquals(expected, db.rows(), "rows");
            assertEquals(0, db.duplicates(), "duplicate Kafka records");
            assertEquals(expected, db.distinctSequences(), "distinct sequence numbers");
        }

        void report(String name, long records, String faults, String recovery) throws Exception {
            Results.record(name, records, faults, db.rows(), db.duplicates(), 0, recovery,
                    (System.nanoTime() - started) / 1_000_000_000);
            db.drop();
        }
    }
}
