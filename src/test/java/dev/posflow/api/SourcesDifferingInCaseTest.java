package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Two sources whose names differ only in case are two sources everywhere (issue 16): one sample of BOB and two of
 * bob, ingested from Kafka into MariaDB/MySQL, stay apart in history, exports, the heatmap, /sources,
 * /positions/latest and erasure. Before changeset 7, positions' _ci collation answered BOB with all three rows and
 * erasing bob erased BOB's row too.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SourcesDifferingInCaseTest {

    private static final Instant BASE = Instant.parse("2023-07-01T00:00:00.000001Z");

    /** BOB-… and bob-… with the same lowercase suffix: names that differ only in case. */
    private record Twins(String upper, String lower) {
    }

    /** BOB: one sample at (500, 500); bob: two at (1, 1) and (2, 1); waits until all three rows are stored. */
    private static Twins storeTwins() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Twins twins = new Twins("BOB-" + suffix, "bob-" + suffix);
        TestKafka.send("JSON", sample(twins.upper(), 0, 500, 500), sample(twins.lower(), 1, 1, 1),
                sample(twins.lower(), 2, 2, 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count("select count(*) from positions"
                + " where source in (?, ?)", twins.upper(), twins.lower()) == 3);
        return twins;
    }

    private static String sample(String source, int second, int x, int y) {
        return "{\"source\": \"" + source + "\", \"sampledAt\": \"" + BASE.plusSeconds(second) + "\", \"x\": " + x
                + ", \"y\": " + y + "}";
    }

    @Test
    void historyExportsAndTheHeatmapAnswerEachNameWithItsOwnRowsOnly() {
        Twins twins = storeTwins();

        assertEquals(List.of(500), given().queryParam("source", twins.upper()).get("/positions").then()
                .statusCode(200).extract().jsonPath().getList("items.x"));
        assertEquals(List.of(1, 2), given().queryParam("source", twins.lower()).queryParam("order", "asc")
                .get("/positions").then().statusCode(200).extract().jsonPath().getList("items.x"));

        for (String format : List.of("csv", "ndjson")) {
            int header = format.equals("csv") ? 1 : 0;
            assertEquals(header + 1, exportLines(format, twins.upper()).size(), format + " of " + twins.upper());
            assertEquals(header + 2, exportLines(format, twins.lower()).size(), format + " of " + twins.lower());
            assertEquals(0, exportLines(format, twins.upper()).stream().filter(l -> l.contains(twins.lower())).count());
        }

        given().queryParam("source", twins.upper()).queryParam("cell", 1000).queryParam("bbox", "0,0,1999,1999")
                .get("/positions/heatmap").then()
                .statusCode(200).body("total", is(1));
        given().queryParam("source", twins.lower()).queryParam("cell", 1000).queryParam("bbox", "0,0,1999,1999")
                .get("/positions/heatmap").then()
                .statusCode(200).body("total", is(2));
    }

    @Test
    void sourcesAndLatestListBothNamesWithTheirOwnCountsAndPositions() {
        Twins twins = storeTwins();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonPath sources = given().queryParam("sources", twins.upper() + "," + twins.lower()).get("/sources")
                    .then().statusCode(200).extract().jsonPath();
            // by code point: upper case before lower case
            assertEquals(List.of(twins.upper(), twins.lower()), sources.getList("items.source"));
            assertEquals(List.of(1, 2), sources.getList("items.count"));
        });
        assertEquals(List.of(twins.upper()), given().queryParam("prefix", twins.upper()).get("/sources").then()
                .statusCode(200).extract().jsonPath().getList("items.source"), "a prefix matches by code point");
        assertEquals(List.of(twins.lower()), given().queryParam("prefix", "bob-" + twins.lower().substring(4))
                .get("/sources").then().statusCode(200).extract().jsonPath().getList("items.source"));

        given().queryParam("source", twins.upper()).get("/positions/latest").then().statusCode(200)
                .body("source", is(twins.upper())).body("x", is(500));
        given().queryParam("source", twins.lower()).get("/positions/latest").then().statusCode(200)
                .body("source", is(twins.lower())).body("x", is(2));
        assertEquals(List.of(500, 2), given().queryParam("sources", twins.lower() + "," + twins.upper())
                .get("/positions/latest").then().statusCode(200).extract().jsonPath().getList("items.x"));
        assertEquals(List.of(twins.lower()), given().queryParam("prefix", twins.lower())
                .get("/positions/latest").then().statusCode(200).extract().jsonPath().getList("items.source"));
    }

    @Test
    void erasingBobDeletesItsTwoRowsAndLeavesBOBsRowAndCount() {
        Twins twins = storeTwins();

        given().delete("/sources/" + twins.lower()).then().statusCode(200).body("deleted", is(2));

        assertEquals(1, Rows.count("select count(*) from positions where source = ?", twins.upper()));
        assertEquals(0, Rows.count("select count(*) from positions where source = ?", twins.lower()));
        assertEquals(List.of(500), given().queryParam("source", twins.upper()).get("/positions").then()
                .statusCode(200).extract().jsonPath().getList("items.x"));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonPath sources = given().queryParam("sources", twins.upper() + "," + twins.lower()).get("/sources")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(List.of(twins.upper()), sources.getList("items.source"));
            assertEquals(List.of(1), sources.getList("items.count"));
            given().queryParam("source", twins.lower()).get("/positions/latest").then().statusCode(404);
        });
        given().queryParam("source", twins.upper()).get("/positions/latest").then().statusCode(200)
                .body("x", is(500));
    }

    private static List<String> exportLines(String format, String source) {
        String body = given().queryParam("format", format).queryParam("source", source).get("/positions/export")
                .then().statusCode(200).extract().asString();
        return body.lines().filter(line -> !line.isEmpty()).toList();
    }
}
