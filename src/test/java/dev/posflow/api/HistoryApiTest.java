package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HistoryApiTest {

    private static final String SOURCE = "history-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int COUNT = 25;
    private static final Instant BASE = Instant.parse("2022-01-01T00:00:00.000001Z");

    /** Three samples share each sampling time, so that the id must break ties; microseconds differ per group. */
    private static Instant sampledAt(int i) {
        return BASE.plusMillis((i / 3) * 10L).plusNanos(1_000L * (i / 3));
    }

    @BeforeAll
    static void storeSamples() {
        String[] values = new String[COUNT];
        for (int i = 0; i < COUNT; i++) {
            values[i] = "{\"source\": \"" + SOURCE + "\", \"sampledAt\": \"" + sampledAt(i) + "\", \"x\": " + i
                    + ", \"y\": " + (1000 - i) + "}";
        }
        TestKafka.send("JSON", values);
    }

    /** Over REST rather than SQL, so that HistoryApiIT runs it against the packaged app as well. */
    @BeforeEach
    void waitUntilStored() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("source", SOURCE)
                .queryParam("limit", 1000).get("/positions").then().statusCode(200).extract().jsonPath()
                .getList("items").size() == COUNT);
    }

    @Test
    void keysetPagesAscendingCoverTheRangeExactlyOnceInOrder() {
        List<Map<String, Object>> items = walk("asc", 7);

        assertEquals(COUNT, items.size());
        assertEquals(COUNT, new HashSet<>(ids(items)).size(), "no position twice");
        List<Map<String, Object>> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.<Map<String, Object>, String> comparing(item -> (String) item.get("sampledAt"))
                .thenComparingLong(item -> ((Number) item.get("id")).longValue()));
        assertEquals(ids(sorted), ids(items), "pages follow (sampledAt, id)");
    }

    @Test
    void keysetPagesDescendingCoverTheRangeExactlyOnceInReverseOrder() {
        List<Long> ascending = ids(walk("asc", 4));
        List<Long> descending = new ArrayList<>(ids(walk("desc", 4)));
        Collections.reverse(descending);

        assertEquals(COUNT, ascending.size());
        assertEquals(ascending, descending);
    }

    @Test
    void fromIsInclusiveAndToIsExclusive() {
        // samples 3, 4, 5 share sampledAt(3); samples 6, 7, 8 share sampledAt(6)
        JsonPath page = given().queryParam("source", SOURCE).queryParam("from", sampledAt(3).toString())
                .queryParam("to", sampledAt(6).toString()).get("/positions").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(3, 4, 5), page.getList("items.x", Integer.class));
        assertEquals(null, page.getString("next"));
    }

    @Test
    void latestOfASourceIsItsLastSample() {
        // the latest positions are reloaded just after each commit, so may trail the rows by a moment; the slack is
        // for the first request of a test run on a busy machine (11 s seen with load 23 on 2 cores)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", SOURCE)
                .get("/positions/latest").then()
                .statusCode(200)
                .body("source", is(SOURCE))
                .body("x", is(COUNT - 1))
                .body("sampledAt", is(micros(sampledAt(COUNT - 1)))));
    }

    @Test
    void latestListsEverySourceOnce() {
        List<String> sources = await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("limit", 1000)
                .get("/positions/latest").then().statusCode(200).extract().jsonPath().getList("items.source", String.class),
                listed -> listed.contains(SOURCE));

        assertEquals(new HashSet<>(sources).size(), sources.size());
    }

    @Test
    void sourcesSummariseCountFirstAndLast() {
        String mine = "items.find { it.source == '" + SOURCE + "' }";
        given().queryParam("limit", 1000).get("/sources").then()
                .statusCode(200)
                .body("items.source", hasItem(SOURCE))
                .body(mine + ".count", is(COUNT))
                .body(mine + ".first", is(micros(sampledAt(0))))
                .body(mine + ".last", is(micros(sampledAt(COUNT - 1))));
    }

    @Test
    void theLastPageHasNoNextCursor() {
        given().queryParam("source", SOURCE).queryParam("limit", COUNT).get("/positions").then()
                .statusCode(200)
                .body("items.size()", is(COUNT))
                .body("next", nullValue());
    }

    /** Follows the next cursors from the first page to the last. */
    private static List<Map<String, Object>> walk(String order, int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            RequestSpecification request = given().queryParam("source", SOURCE).queryParam("limit", limit)
                    .queryParam("order", order);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get("/positions").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> pageItems = page.getList("items");
            assertTrue(pageItems.size() <= limit);
            items.addAll(pageItems);
            after = page.getString("next");
            if (after == null) {
                return items;
            }
        }
        throw new AssertionError("more than 100 pages");
    }

    private static List<Long> ids(List<Map<String, Object>> items) {
        return items.stream().map(item -> ((Number) item.get("id")).longValue()).toList();
    }

    private static String micros(Instant instant) {
        return MicrosInstant.format(instant);
    }
}
