package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.store.read.LatestReader;
import dev.posflow.store.read.SourceQuery;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.view.PositionView;
import dev.posflow.view.SourcePageView;
import dev.posflow.view.SourceView;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /sources is served from the latest snapshot's memory; its pages must be the bytes MySQL's answer gave, written by
 * Jackson from the views: escaping, a first time that is null, a row of latest_positions whose position is gone (in
 * /sources, not in /positions/latest), the cursor. /positions/latest keeps answering as the inner join did.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SourcesJsonTest {

    private static final String PREFIX = "sj-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    // written by hand, as an operator may: names the API would refuse at its doors, a latest row without position
    private static final List<String> NAMES = List.of(PREFIX + "a", PREFIX + "b\"\\\u0001", PREFIX + "é😀",
            PREFIX + "ghost", PREFIX + "Z");

    @Inject
    ObjectMapper json;

    @Inject
    LatestReader reader;

    @BeforeAll
    static void storeRows() {
        for (int i = 0; i < NAMES.size(); i++) {
            String name = NAMES.get(i);
            boolean ghost = name.endsWith("ghost");
            if (!ghost) {
                Rows.update("insert into positions (source, sampled_at, x, y, received_at, kafka_topic,"
                        + " kafka_partition, kafka_offset) values (?, '2023-03-03 03:03:03.000000', ?, 7,"
                        + " '2023-03-03 03:03:04.250000', ?, 0, 1)", name, i, PREFIX + i);
            }
            Rows.update("insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset,"
                    + " row_count, first_sampled_at) values (?, '2023-03-03 03:03:03.000000', ?, 0, 1, ?, ?)", name,
                    PREFIX + i, 10 + i, i == 0 ? null : "2022-02-02 02:02:02.000020");
        }
    }

    @Test
    void pagesFromMemoryAreTheBytesOfTheViews() {
        // the snapshot sees rows written by other hands at its next refresh
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("prefix", PREFIX).get("/sources").then()
                .statusCode(200).extract().jsonPath().getList("items").size() == NAMES.size());
        for (int limit : new int[] { 1, 2, NAMES.size(), 1000 }) {
            String after = null;
            int pages = 0;
            do {
                var request = given().queryParam("prefix", PREFIX).queryParam("limit", limit);
                if (after != null) {
                    request.queryParam("after", after);
                }
                String served = new String(request.get("/sources").then().statusCode(200)
                        .header("Content-Type", "application/json;charset=UTF-8").extract().asByteArray(),
                        StandardCharsets.UTF_8);
                SourcePageView view = fromDatabase(new SourceQuery(Optional.ofNullable(after).map(SourceCursor::decode),
                        Optional.of(PREFIX), List.of(), limit));
                assertEquals(utf8(view), served, "limit " + limit + " after " + after);
                after = view.next();
                pages++;
            } while (after != null && pages < 10);
            assertEquals((NAMES.size() + limit - 1) / limit, pages);
        }
        // a list of sources, one of them unknown
        String served = given().queryParam("sources", String.join(",", NAMES.get(2), NAMES.get(3), PREFIX + "none"))
                .get("/sources").then().statusCode(200).extract().asString();
        assertEquals(utf8(fromDatabase(new SourceQuery(Optional.empty(), Optional.empty(),
                List.of(NAMES.get(2), NAMES.get(3), PREFIX + "none"), 100))), served);
    }

    @Test
    void latestPagesLeaveOutTheRowWhosePositionIsGone() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("prefix", PREFIX)
                .get("/positions/latest").then().statusCode(200).extract().jsonPath().getList("items").size()
                == NAMES.size() - 1);
        List<LatestReader.LatestRow> rows = reader.latestPage(new SourceQuery(Optional.empty(), Optional.of(PREFIX),
                List.of(), 1000));
        StringBuilder expected = new StringBuilder("{\"items\":[");
        for (int i = 0; i < rows.size(); i++) {
            expected.append(i > 0 ? "," : "").append(new String(json.writeValueAsBytes(PositionView.of(rows.get(i))),
                    StandardCharsets.UTF_8));
        }
        expected.append("],\"next\":null}");
        assertEquals(expected.toString(), given().queryParam("prefix", PREFIX).queryParam("limit", 1000)
                .get("/positions/latest").then().statusCode(200).extract().asString());
        given().queryParam("source", PREFIX + "ghost").get("/positions/latest").then().statusCode(404);
    }

    /** The page as GET /sources answered it from MySQL before the snapshot held it. */
    private SourcePageView fromDatabase(SourceQuery query) {
        List<LatestReader.SourceRow> rows = reader.sourcePage(query.withLimit(query.limit() + 1));
        boolean more = rows.size() > query.limit();
        List<LatestReader.SourceRow> page = more ? rows.subList(0, query.limit()) : rows;
        return new SourcePageView(page.stream()
                .map(SourceView::of).toList(),
                more ? SourceCursor.encode(page.get(page.size() - 1).source()) : null);
    }

    private String utf8(Object view) {
        try {
            return new String(json.writeValueAsBytes(view), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
