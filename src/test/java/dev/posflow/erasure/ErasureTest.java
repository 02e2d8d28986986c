package dev.posflow.erasure;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.store.erase.PositionEraser;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * DELETE /positions/{id}, /positions?source=&before= and /sources/{source} against rows ingested from Kafka: each
 * answers what it deleted, and latest_positions (the latest position, /sources' count and first time) stays right.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ErasureTest {

    private static final Instant BASE = Instant.parse("2023-06-01T00:00:00.000001Z");

    @Inject
    PositionEraser eraser;

    private static String newSource(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Samples 0..count-1 of a source, one a second from BASE, x = i; waits until their rows and latest are in. */
    private static void store(String source, int from, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = "{\"source\": \"" + source + "\", \"sampledAt\": \"" + BASE.plusSeconds(from + i)
                    + "\", \"x\": " + (from + i) + ", \"y\": 7}";
        }
        TestKafka.send("JSON", values);
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count("select count(*) from positions"
                + " where source = ? and x >= ? and x < ?", source, from, from + count) == count);
    }

    private static long idOf(String source, int x) {
        return ((Number) Rows.query("select id from positions where source = ? and x = ?", source, x).get(0)
                .get("id")).longValue();
    }

    /** latest_positions agrees with the rows: count, first time, and the latest row's x. */
    private static void assertSummaryMatchesRows(String source, int latestX) {
        Map<String, Object> summary = Rows.query("select l.row_count, cast(l.first_sampled_at as char) first,"
                + " p.x from latest_positions l join positions p on p.kafka_topic = l.kafka_topic"
                + " and p.kafka_partition = l.kafka_partition and p.kafka_offset = l.kafka_offset"
                + " where l.source = ?", source).get(0);
        Map<String, Object> rows = Rows.query("select count(*) c, cast(min(sampled_at) as char) first"
                + " from positions where source = ?", source).get(0);
        assertEquals(((Number) rows.get("c")).longValue(), ((Number) summary.get("row_count")).longValue());
        assertEquals(rows.get("first"), summary.get("first"));
        assertEquals(latestX, ((Number) summary.get("x")).intValue());
    }

    private static Object changedBy(String source) {
        return Rows.query("select changed_by from latest_positions where source = ?", source).get(0).get("changed_by");
    }

    private static void awaitLatestX(String source, int x) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", source)
                .get("/positions/latest").then().statusCode(200).body("x", is(x)));
    }

    @Test
    void erasingTheLatestPositionMovesLatestToTheNewestRemainingRow() {
        String source = newSource("erase-one");
        store(source, 0, 5);
        awaitLatestX(source, 4);

        assertNotNull(changedBy(source), "ingest marks the change as this instance's own");

        given().delete("/positions/" + idOf(source, 4)).then().statusCode(200).body("deleted", is(1));

        assertEquals(0, Rows.count("select count(*) from positions where source = ? and x = 4", source));
        assertSummaryMatchesRows(source, 3);
        // the instances that ingested the source read the erasure in their refresh, as any change of no instance's
        assertNull(changedBy(source), "an erasure's change is marked as no instance's");
        awaitLatestX(source, 3);
        String mine = "items.find { it.source == '" + source + "' }";
        given().queryParam("sources", source).get("/sources").then().body(mine + ".count", is(4))
                .body(mine + ".last", is(MicrosInstant.format(BASE.plusSeconds(3))));
    }

    @Test
    void erasingAnUnknownIdIs404AndABadOneIs400() {
        given().delete("/positions/999999999").then().statusCode(404).contentType("application/problem+json");
        given().delete("/positions/abc").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void erasingBeforeAnInstantKeepsCountAndFirstTimeRightAndIngestGoesOn() {
        String source = newSource("erase-before");
        String other = newSource("erase-kept");
        store(source, 0, 10);
        store(other, 0, 3);

        given().queryParam("source", source).queryParam("before", BASE.plusSeconds(6).toString())
                .delete("/positions").then().statusCode(200).body("deleted", is(6));

        assertEquals(4, Rows.count("select count(*) from positions where source = ?", source));
        assertEquals(3, Rows.count("select count(*) from positions where source = ?", other), "another source kept");
        assertSummaryMatchesRows(source, 9);
        String mine = "items.find { it.source == '" + source + "' }";
        given().queryParam("sources", source).get("/sources").then().body(mine + ".count", is(4))
                .body(mine + ".first", is(MicrosInstant.format(BASE.plusSeconds(6))));

        // ingest goes on and adds to the corrected count
        store(source, 10, 3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertSummaryMatchesRows(source, 12));
        given().queryParam("sources", source).get("/sources").then().body(mine + ".count", is(7));
    }

    @Test
    void erasingInChunksSmallerThanTheRowsDeletesThemAllAndCountsRight() {
        String source = newSource("erase-chunks");
        store(source, 0, 11);

        long deleted = eraser.eraseBefore(Optional.of(source), BASE.plusSeconds(9), 2, PositionEraser.Cause.ERASED);

        assertEquals(9, deleted);
        assertSummaryMatchesRows(source, 10);
    }

    @Test
    void deleteWithoutBeforeIs400AndDeletesNothing() {
        given().queryParam("source", "anything").delete("/positions").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void erasingASourceForgetsItsRowsItsLatestPositionAndItsCounts() {
        String source = newSource("erase-source");
        store(source, 0, 8);
        awaitLatestX(source, 7);

        given().delete("/sources/" + source).then().statusCode(200).body("deleted", is(8));

        assertEquals(0, Rows.count("select count(*) from positions where source = ?", source));
        assertEquals(0, Rows.count("select count(*) from latest_positions where source = ?", source));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", source)
                .get("/positions/latest").then().statusCode(404));
        given().queryParam("sources", source).get("/positions/latest").then().body("items.source", not(hasItem(source)));
        given().queryParam("sources", source).get("/sources").then().body("items.source", not(hasItem(source)));
        given().delete("/sources/" + source).then().statusCode(404).contentType("application/problem+json");
    }
}
