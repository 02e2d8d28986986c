package dev.posflow.latest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.posflow.store.read.LatestReader;
import dev.posflow.store.read.LatestReader.Change;
import dev.posflow.store.write.ChangedBy;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.TestKafka;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /positions/latest is served from memory; what another instance commits (here: rows written straight into MySQL,
 * as that instance's transaction would) must show within the refresh interval (posflow.latest.refresh, 1 s).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LatestFromOtherInstancesTest {

    @Inject
    LatestReader reader;

    @Inject
    ChangedBy changedBy;

    /** Its own changes this instance reloads after each commit; the refresh reads everyone else's. */
    @Test
    void theRefreshReadsChangesOfOtherInstancesAndOfNoInstanceButNotThisInstancesOwn() throws SQLException {
        Instant before = reader.now().minusSeconds(1);
        long other = changedBy.id() + 1;
        execute("insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset,"
                + " changed_by) values ('changed-by-me', '2021-04-10 20:51:36.000001', 'changed-by', 0, 1, "
                + changedBy.id() + "), ('changed-by-other', '2021-04-10 20:51:36.000001', 'changed-by', 0, 2, " + other
                + "), ('changed-by-no-instance', '2021-04-10 20:51:36.000001', 'changed-by', 0, 3, null)");
        try {
            Set<String> read = reader.changedSince(before, changedBy.id()).changes().stream().map(Change::source)
                    .collect(Collectors.toSet());
            assertTrue(read.contains("changed-by-other"), "another instance's change: " + read);
            assertTrue(read.contains("changed-by-no-instance"), "a change by erasure or by hand: " + read);
            assertFalse(read.contains("changed-by-me"), "this instance's own change: " + read);
        } finally {
            execute("delete from latest_positions where kafka_topic = 'changed-by'");
        }
    }

    @Test
    void anotherInstancesChangeOfASourceThisInstanceIngestedShowsWithinTheRefreshInterval() throws SQLException {
        TestKafka.send("JSON", "{\"source\": \"ingested-here\", \"sampledAt\": \"2021-04-10T20:51:36.000001Z\","
                + " \"x\": 1, \"y\": 1}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .queryParam("source", "ingested-here").get("/positions/latest").then().statusCode(200).body("x", is(1)));

        // what the other instance's ingest upsert does, its own mark in changed_by
        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('ingested-here', '2021-04-10 20:51:38.000001', 2, 2,"
                + " '2021-04-10 20:51:39.000001', 'other-instance', 3, 1)",
                "update latest_positions set sampled_at = '2021-04-10 20:51:38.000001', kafka_topic = 'other-instance',"
                        + " kafka_partition = 3, kafka_offset = 1, kafka_incarnation = 0, row_count = row_count + 1,"
                        + " changed_by = " + (changedBy.id() + 1) + " where source = 'ingested-here'");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> given()
                .queryParam("source", "ingested-here").get("/positions/latest").then()
                .statusCode(200)
                .body("x", is(2))
                .body("kafka.topic", is("other-instance")));
    }

    @Test
    void aPositionCommittedByAnotherInstanceShowsWithinTheRefreshInterval() throws SQLException {
        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('elsewhere', '2021-04-10 20:51:36.287301', 910, 454,"
                + " '2021-04-10 20:51:37.000001', 'other-instance', 0, 41)",
                "insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset)"
                        + " values ('elsewhere', '2021-04-10 20:51:36.287301', 'other-instance', 0, 41)");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> given()
                .queryParam("source", "elsewhere").get("/positions/latest").then()
                .statusCode(200)
                .body("x", is(910))
                .body("sampledAt", is("2021-04-10T20:51:36.287301Z"))
                .body("kafka.topic", is("other-instance")));
    }

    @Test
    void aNewerPositionOfAKnownSourceCommittedByAnotherInstanceShowsWithinTheRefreshInterval() throws SQLException {
        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('moved-elsewhere', '2021-04-10 20:51:36.000001', 1, 1,"
                + " '2021-04-10 20:51:37.000001', 'other-instance', 1, 1)",
                "insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset)"
                        + " values ('moved-elsewhere', '2021-04-10 20:51:36.000001', 'other-instance', 1, 1)");
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> given()
                .queryParam("source", "moved-elsewhere").get("/positions/latest").then().body("x", is(1)));

        // what the ingest upsert does to a known source: changed_at follows by itself
        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('moved-elsewhere', '2021-04-10 20:51:38.000001', 2, 2,"
                + " '2021-04-10 20:51:39.000001', 'other-instance', 1, 2)",
                "update latest_positions set sampled_at = '2021-04-10 20:51:38.000001', kafka_offset = 2,"
                        + " row_count = row_count + 1 where source = 'moved-elsewhere'");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> given()
                .queryParam("source", "moved-elsewhere").get("/positions/latest").then()
                .statusCode(200)
                .body("x", is(2))
                .body("kafka.offset", is(2)));
    }

    /**
     * changed_at is the time of the upsert; the other instance's transaction may commit after posflow has looked past
     * that time. The refresh looks again a little before its last look, so such a row still shows.
     */
    @Test
    void aChangeCommittedAfterTheLookThatPassedItsTimeStillShows() throws SQLException {
        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('late-commit', '2021-04-10 20:51:36.000001', 5, 5,"
                + " '2021-04-10 20:51:37.000001', 'other-instance', 2, 1)",
                "insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset,"
                        + " changed_at) values ('late-commit', '2021-04-10 20:51:36.000001', 'other-instance', 2, 1,"
                        + " now(6) - interval 1500000 microsecond)");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> given()
                .queryParam("source", "late-commit").get("/positions/latest").then()
                .statusCode(200)
                .body("x", is(5)));
    }

    private static void execute(String... sql) throws SQLException {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
