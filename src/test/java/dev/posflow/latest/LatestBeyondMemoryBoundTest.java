package dev.posflow.latest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * With posflow.latest.max-sources-in-memory = 3, memory holds the first three sources by name and MySQL answers for
 * the others: pages, single sources and what other instances commit stay the same as with everything in memory.
 */
@QuarkusTest
@TestProfile(LatestBeyondMemoryBoundTest.ThreeSourcesInMemory.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LatestBeyondMemoryBoundTest {

    public static class ThreeSourcesInMemory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("posflow.latest.max-sources-in-memory", "3");
        }
    }

    private static final List<String> SOURCES = List.of("bound-a", "bound-b", "bound-c", "bound-d", "bound-e",
            "bound-f", "bound-g", "bound-h");

    @Inject
    LatestSnapshot latest;

    @BeforeAll
    static void storeOnePositionPerSource() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < SOURCES.size(); i++) {
            values.add("{\"source\": \"" + SOURCES.get(i) + "\", \"sampledAt\": \"2022-03-03T00:00:00.000001Z\","
                    + " \"x\": " + i + ", \"y\": 0}");
        }
        TestKafka.send("JSON", values.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count(
                "select count(*) from latest_positions where source like 'bound-%'") == SOURCES.size());
    }

    @Test
    void memoryHoldsNoMoreThanTheBound() {
        await().atMost(Duration.ofSeconds(30)).until(() -> latest.holds("bound-a"));
        assertFalse(latest.holds("bound-h"), "the last source is read from MySQL");
        assertFalse(latest.holds("bound-z"), "a name beyond the held ones is for MySQL to say");
    }

    @Test
    void pagesWalkOnFromMemoryIntoMySql() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(SOURCES, walk("/positions/latest")));
        assertEquals(SOURCES, walk("/sources"));
    }

    @Test
    void aSourceBeyondTheBoundIsReadFromMySql() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", "bound-g")
                .get("/positions/latest").then()
                .statusCode(200)
                .body("source", is("bound-g"))
                .body("x", is(6)));
        given().queryParam("source", "bound-zzz").get("/positions/latest").then().statusCode(404);
        given().queryParam("sources", "bound-a,bound-g").get("/positions/latest").then()
                .statusCode(200)
                .body("items.x", is(List.of(0, 6)));
    }

    @Test
    void aSourceAnotherInstanceAddsBeforeTheHeldOnesTakesTheLastOnesPlace() throws SQLException {
        await().atMost(Duration.ofSeconds(30)).until(() -> latest.holds("bound-c"));
        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('bound-0', '2022-03-03 00:00:00.000002', 99, 0,"
                + " '2022-03-03 00:00:01.000001', 'other-instance', 0, 7)",
                "insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset,"
                        + " row_count, first_sampled_at) values ('bound-0', '2022-03-03 00:00:00.000002',"
                        + " 'other-instance', 0, 7, 1, '2022-03-03 00:00:00.000002')");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> latest.of("bound-0").isPresent());
        assertTrue(latest.holds("bound-b"));
        assertFalse(latest.holds("bound-c"), "still three in memory");
        given().queryParam("sources", "bound-0,bound-c").get("/positions/latest").then()
                .statusCode(200)
                .body("items.x", is(List.of(99, 2)));
    }

    private static List<String> walk(String path) {
        List<String> walked = new ArrayList<>();
        String after = null;
        do {
            var request = given().queryParam("prefix", "bound-").queryParam("limit", 2);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.source", String.class));
            after = page.getString("next");
        } while (after != null && walked.size() < 100);
        walked.remove("bound-0");
        return walked;
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
