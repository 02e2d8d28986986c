package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * /positions/latest and /sources answer in pages of sources by name ({@code {items, next}}), with a limit, a cursor,
 * a list of sources and a name prefix; every source is on exactly one page.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SourcePagesTest {

    /** Names of this test's sources start with it, so that other tests' sources do not show in its pages. */
    private static final String PREFIX = "pages-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    /** More than a default page; names in code-point order: upper case before lower case. */
    private static final List<String> SOURCES = new ArrayList<>();

    static {
        for (int i = 0; i < 120; i++) {
            SOURCES.add(PREFIX + String.format("n%03d", i));
        }
        SOURCES.add(PREFIX + "B");
        SOURCES.add(PREFIX + "b");
        SOURCES.sort(String::compareTo);
    }

    @BeforeAll
    static void storeOnePositionPerSource() {
        String[] values = new String[SOURCES.size() * 2];
        for (int i = 0; i < SOURCES.size(); i++) {
            // two samples each: the later one is the latest
            values[2 * i] = "{\"source\": \"" + SOURCES.get(i) + "\", \"sampledAt\": \"2022-02-02T00:00:00.000001Z\","
                    + " \"x\": 1, \"y\": 1}";
            values[2 * i + 1] = "{\"source\": \"" + SOURCES.get(i) + "\", \"sampledAt\": \"2022-02-02T00:00:01.000002Z\","
                    + " \"x\": " + i + ", \"y\": 2}";
        }
        TestKafka.send("JSON", values);
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count(
                "select count(*) from positions where source like ?", PREFIX + "%") == values.length);
    }

    @BeforeEach
    void latestPositionsShown() {
        // the latest positions show once the batch's commit has been followed by its reload (the first request of a
        // JVM is slow on a busy machine: generous)
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("prefix", PREFIX)
                .queryParam("limit", 1000).get("/positions/latest").then().statusCode(200).extract().jsonPath()
                .getList("items").size() == SOURCES.size());
    }

    @Test
    void latestPagesCoverEverySourceOnceInNameOrder() {
        List<String> walked = walk("/positions/latest", "source", 7);

        assertEquals(SOURCES, walked);
    }

    @Test
    void sourcePagesCoverEverySourceOnceInNameOrder() {
        List<String> walked = walk("/sources", "source", 7);

        assertEquals(SOURCES, walked);
    }

    @Test
    void upperAndLowerCaseNamesAreDistinctSources() {
        given().queryParam("sources", PREFIX + "b," + PREFIX + "B").get("/sources").then()
                .statusCode(200)
                .body("items.source", is(List.of(PREFIX + "B", PREFIX + "b")))
                .body("items.count", is(List.of(2, 2)));
    }

    @Test
    void aPageHoldsTheLatestPositionOfEachSource() {
        int i = SOURCES.indexOf(PREFIX + "n042");
        given().queryParam("sources", PREFIX + "n042").get("/positions/latest").then()
                .statusCode(200)
                .body("items.size()", is(1))
                .body("items[0].source", is(PREFIX + "n042"))
                .body("items[0].x", is(i))
                .body("items[0].sampledAt", is("2022-02-02T00:00:01.000002Z"))
                .body("next", nullValue());
    }

    @Test
    void theDefaultPageHoldsAHundredSourcesAndPointsToTheNext() {
        for (String path : List.of("/positions/latest", "/sources")) {
            JsonPath page = given().queryParam("prefix", PREFIX).get(path).then().statusCode(200).extract().jsonPath();
            assertEquals(SOURCES.subList(0, 100), page.getList("items.source", String.class), path);
            given().queryParam("prefix", PREFIX).queryParam("after", page.getString("next")).get(path).then()
                    .statusCode(200)
                    .body("items.source", is(SOURCES.subList(100, SOURCES.size())))
                    .body("next", nullValue());
        }
    }

    @Test
    void aListOfSourcesSelectsThoseThatExistInNameOrder() {
        String list = PREFIX + "n007," + PREFIX + "n003,nobody-has-this-name," + PREFIX + "n005";
        for (String path : List.of("/positions/latest", "/sources")) {
            given().queryParam("sources", list).queryParam("limit", 2).get(path).then()
                    .statusCode(200)
                    .body("items.source", is(List.of(PREFIX + "n003", PREFIX + "n005")))
                    .body("next", notNullValue());
            // the same list as a repeated parameter, from the cursor
            String next = given().queryParam("sources", list).queryParam("limit", 2).get(path).then().extract()
                    .path("next");
            given().queryParam("sources", PREFIX + "n007").queryParam("sources", PREFIX + "n003")
                    .queryParam("sources", PREFIX + "n005").queryParam("after", next).get(path).then()
                    .statusCode(200)
                    .body("items.source", is(List.of(PREFIX + "n007")))
                    .body("next", nullValue());
        }
    }

    @Test
    void aPrefixSelectsTheSourcesItStarts() {
        for (String path : List.of("/positions/latest", "/sources")) {
            given().queryParam("prefix", PREFIX + "n11").get(path).then()
                    .statusCode(200)
                    .body("items.source", is(SOURCES.stream().filter(s -> s.startsWith(PREFIX + "n11")).toList()));
            given().queryParam("prefix", PREFIX + "n11%").get(path).then()
                    .statusCode(200)
                    .body("items.size()", is(0));
        }
    }

    @Test
    void oneSourceIsStillOnePositionOr404() {
        given().queryParam("source", PREFIX + "n001").get("/positions/latest").then()
                .statusCode(200)
                .body("source", is(PREFIX + "n001"))
                .body("x", is(SOURCES.indexOf(PREFIX + "n001")));
        given().queryParam("source", PREFIX + "nobody").get("/positions/latest").then().statusCode(404);
    }

    @ParameterizedTest(name = "GET {0} answers 400: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "/positions/latest?limit=0                    | 'limit' must be an integer from 1 to 1000",
            "/positions/latest?limit=1001                 | 'limit' must be an integer from 1 to 1000",
            "/sources?limit=many                          | 'limit' must be an integer from 1 to 1000",
            "/sources?after=not-a-cursor                  | 'after' is not a cursor that posflow gave out",
            "/positions/latest?after=MToxNjE4MDg          | 'after' is not a cursor that posflow gave out",
            "/sources?sources=a,,b                        | 'sources' is a comma-separated list of source names",
            "/positions/latest?source=a&limit=5           | 'source' asks for one position",
            "/positions/latest?source=a&prefix=b          | 'source' asks for one position",
            "/sources?prefix=0123456789012345678901234567890123456789012345678901234567890123456789 | 'prefix' must be 1 to 64",
    })
    void badPageParametersAnswerAProblem(String path, String detail) {
        given().urlEncodingEnabled(false).get(path).then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", is(400))
                .body("detail", containsString(detail))
                .body("instance", is(path.split("\\?")[0]));
    }

    @Test
    void moreThanAThousandListedSourcesAnswerAProblem() {
        // short names, commas not escaped: the request line must fit in 4 KB (beyond it, Vert.x answers 414)
        StringBuilder list = new StringBuilder("0");
        for (int i = 1; i <= 1000; i++) {
            list.append(',').append(Integer.toString(i, 36));
        }
        given().urlEncodingEnabled(false).get("/sources?sources=" + list).then()
                .statusCode(400)
                .body("detail", containsString("'sources' lists at most 1000 names, not 1001"));
    }

    /** Follows the next cursors of one endpoint, within this test's prefix. */
    private static List<String> walk(String path, String field, int limit) {
        List<String> walked = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            RequestSpecification request = given().queryParam("prefix", PREFIX).queryParam("limit", limit);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            List<String> items = page.getList("items." + field, String.class);
            walked.addAll(items);
            after = page.getString("next");
            if (after == null) {
                assertEquals(true, items.size() <= limit);
                return walked;
            }
            assertEquals(limit, items.size(), "a page that has a next is full");
        }
        throw new AssertionError("more than 100 pages");
    }
}
