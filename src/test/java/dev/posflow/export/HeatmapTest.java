package dev.posflow.export;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.BulkRows;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * GET /positions/heatmap: MySQL's counts per cell of a bounding box, and a refusal, before any query, when the box
 * spans too many cells.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HeatmapTest {

    private static final String SOURCE = "heat-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Instant BASE = Instant.parse("2024-05-01T00:00:00Z");

    /** (x, y) of each sample: cells of 100 hold (0,0) ×3, (1,0) ×2, (-1,2) ×1 */
    private static final int[][] POINTS = { { 0, 0 }, { 99, 99 }, { 50, 1 }, { 100, 0 }, { 199, 50 }, { -1, 250 } };

    @BeforeAll
    static void storeSamples() {
        String[] values = new String[POINTS.length];
        for (int i = 0; i < POINTS.length; i++) {
            values[i] = "{\"source\": \"" + SOURCE + "\", \"sampledAt\": \"" + BASE.plusSeconds(i) + "\", \"x\": "
                    + POINTS[i][0] + ", \"y\": " + POINTS[i][1] + "}";
        }
        TestKafka.send("JSON", values);
        await().atMost(Duration.ofSeconds(60)).until(
                () -> Rows.count("select count(*) from positions where source = ?", SOURCE) == POINTS.length);
    }

    @Test
    void countsPositionsPerCellOfTheGrid() {
        JsonPath heatmap = given().queryParam("source", SOURCE).queryParam("cell", 100)
                .queryParam("bbox", "-100,0,199,299").get("/positions/heatmap")
                .then().statusCode(200).body("cell", is(100)).body("origin.x", is(0)).body("origin.y", is(0))
                .body("total", is(POINTS.length)).body("max", is(3)).extract().jsonPath();

        assertEquals(List.of(Map.of("cx", -1, "cy", 2, "count", 1), Map.of("cx", 0, "cy", 0, "count", 3),
                Map.of("cx", 1, "cy", 0, "count", 2)), heatmap.getList("cells"));
    }

    @Test
    void theRangeLimitsWhatIsCounted() {
        // from is inclusive, to exclusive: samples 1, 2, 3
        JsonPath heatmap = given().queryParam("source", SOURCE).queryParam("cell", 100)
                .queryParam("bbox", "-100,0,199,299").queryParam("from", BASE.plusSeconds(1).toString()).queryParam("to", BASE.plusSeconds(4).toString())
                .get("/positions/heatmap").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(Map.of("cx", 0, "cy", 0, "count", 2), Map.of("cx", 1, "cy", 0, "count", 1)),
                heatmap.getList("cells"));
    }

    @Test
    void aCellTooSmallForTheBoxIs400SayingSo() {
        String bulk = "heat-bulk-" + UUID.randomUUID().toString().substring(0, 8);
        BulkRows.insert(bulk, "heat-bulk", 12_000, BulkRows.hoursAgo(2));

        // x = 0..11999, y = x % 1000: 12,000,000 cells of 1
        given().queryParam("source", bulk).queryParam("cell", 1).queryParam("bbox", "0,0,11999,999")
                .get("/positions/heatmap").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'cell' 1 is too small"))
                .body("detail", containsString("12000000 cells of size 1, more than the 10000 allowed"));
        // cells of 1000 are 12 × 1
        given().queryParam("source", bulk).queryParam("cell", 1000).queryParam("bbox", "0,0,11999,999")
                .get("/positions/heatmap").then().statusCode(200)
                .body("cells.size()", is(12)).body("total", is(12_000)).body("max", is(1000));
    }

    @Test
    void theBoxIsRefusedByItsSizeAloneEvenWhereNoPositionIs() {
        // the refusal does not depend on what the range holds: it is decided before MySQL groups anything
        given().queryParam("source", "nobody-" + UUID.randomUUID()).queryParam("cell", 10)
                .queryParam("bbox", "0,0,10000,10000").get("/positions/heatmap").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("'cell' 10 is too small"));
    }

    @Test
    void withoutABoxTheAcceptedCoordinatesAreTheBox() {
        // the default accepted range is all 32-bit integers: cells of 100 would be 1.8e15
        given().queryParam("source", SOURCE).queryParam("cell", 100).get("/positions/heatmap").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("'bbox'"));
        // cells of 10^9: x and y from -3 to 2, 36 cells; every sample counted
        given().queryParam("source", SOURCE).queryParam("cell", 1_000_000_000).get("/positions/heatmap").then()
                .statusCode(200).body("total", is(POINTS.length)).body("cells.size()", is(2));
    }

    @Test
    void theBoxLimitsWhatIsCounted() {
        JsonPath heatmap = given().queryParam("source", SOURCE).queryParam("cell", 100).queryParam("bbox", "0,0,99,99")
                .get("/positions/heatmap").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(Map.of("cx", 0, "cy", 0, "count", 3)), heatmap.getList("cells"));
    }

    @Test
    void aBadBoxIs400() {
        for (String bbox : new String[] { "1,2,3", "a,b,c,d", "10,0,0,10", "0,0,1,1,1" }) {
            given().queryParam("source", SOURCE).queryParam("cell", 10).queryParam("bbox", bbox)
                    .get("/positions/heatmap").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("'bbox'"));
        }
    }

    @Test
    void aMissingOrBadCellIs400() {
        for (String cell : new String[] { null, "0", "-5", "ten", "1.5" }) {
            given().queryParam("source", SOURCE).queryParam("cell", cell).get("/positions/heatmap").then()
                    .statusCode(400).contentType("application/problem+json").body("detail", containsString("'cell'"));
        }
    }
}
