package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.store.read.HistoryQuery;
import dev.posflow.store.schema.Position;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.view.PageView;
import dev.posflow.view.PositionView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * History and /positions/{id} write their JSON straight from the result set (PositionJson), no longer through
 * PositionView and Jackson's databind. The same rows, read through the entity and written as the views, must give the
 * same bytes: field order, instants (an all-zero fraction, the first and last DATETIME(6) years), escaping, numbers at
 * their bounds, the next cursor and its absence.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HistoryJsonTest {

    private static final String SOURCE = "json-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String[] SAMPLED = { "2022-01-01 00:00:00.000000", "2022-01-01 00:00:00.120000",
            "2022-01-01 00:00:00.000001", "1000-01-01 00:00:00.000000", "9999-12-31 23:59:59.999999",
            "2022-01-01 00:00:00.120000", "2024-02-29 12:34:56.789012" };
    // a topic written by another tool may hold anything JSON must escape
    private static final String[] TOPICS = { "positions", "t\"q\\b/\u0001\u001f\u007f", "é😀\u2028\u2029",
            "<script>", "\uFEFFx", "tab\there", "p" };

    /** As Quarkus REST wrote the views. */
    private static final String JSON = "application/json;charset=UTF-8";

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void storeRows() {
        for (int i = 0; i < SAMPLED.length; i++) {
            Rows.update("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                    + " kafka_offset) values (?, ?, ?, ?, ?, ?, ?, ?)", SOURCE, SAMPLED[i],
                    i % 2 == 0 ? Integer.MIN_VALUE + i : Integer.MAX_VALUE - i, -i,
                    SAMPLED[(i + 3) % SAMPLED.length], TOPICS[i], i == 1 ? Integer.MAX_VALUE : i,
                    i == 2 ? Long.MAX_VALUE : 1_000_000_000_000L + i);
        }
    }

    @Test
    void pagesAreTheBytesOfTheirViews() {
        for (String order : new String[] { "asc", "desc" }) {
            for (int limit : new int[] { 1, 3, SAMPLED.length, 1000 }) {
                String after = null;
                int pages = 0;
                do {
                    String fast = page(limit, order, after);
                    String views = viewsOfPage(limit, order, after);
                    assertEquals(views, fast, "limit " + limit + ", " + order + ", after " + after);
                    after = PageViewNext.of(fast);
                    pages++;
                } while (after != null && pages < 20);
                assertEquals((SAMPLED.length + limit - 1) / limit, pages, "pages of " + limit);
            }
        }
    }

    @Test
    void aPositionIsTheBytesOfItsView() throws Exception {
        for (Position position : positions()) {
            String fast = utf8(given().get("/positions/" + position.id).then().statusCode(200)
                    .header("Content-Type", JSON).extract().asByteArray());
            assertEquals(utf8(json.writeValueAsBytes(PositionView.of(position))), fast);
        }
    }

    /**
     * The wire shape written out by hand, so that it cannot drift along with the writer the other tests compare
     * against: field order, six-digit fractions with Z, year 9999, Jackson's escapes (quote, backslash, control
     * characters in uppercase hex; '/' and DEL as they are), numbers at their bounds.
     */
    @Test
    void aPositionHasTheDocumentedShapeByteForByte() {
        Position position = positions().stream().filter(p -> p.sampledAt.toString().equals("2022-01-01T00:00:00.120Z")
                && p.y == -1).findFirst().orElseThrow();
        String expected = "{\"id\":" + position.id + ",\"source\":\"" + SOURCE + "\","
                + "\"sampledAt\":\"2022-01-01T00:00:00.120000Z\",\"x\":2147483646,\"y\":-1,"
                + "\"receivedAt\":\"9999-12-31T23:59:59.999999Z\","
                + "\"kafka\":{\"topic\":\"t\\\"q\\\\b/\\u0001\\u001F\u007f\",\"partition\":2147483647,"
                + "\"offset\":1000000000001}}";
        assertEquals(expected, utf8(given().get("/positions/" + position.id).then().statusCode(200).extract()
                .asByteArray()));
    }

    private static String page(int limit, String order, String after) {
        var request = given().queryParam("source", SOURCE).queryParam("limit", limit).queryParam("order", order);
        if (after != null) {
            request.queryParam("after", after);
        }
        return utf8(request.get("/positions").then().statusCode(200).header("Content-Type", JSON).extract()
                .asByteArray());
    }

    /** The page as the Panache read wrote it before: entities, PositionView.of, PageView, ObjectMapper. */
    private String viewsOfPage(int limit, String order, String after) {
        HistoryQuery query = HistoryParameters.parse(SOURCE, null, null, Integer.toString(limit), after, order);
        List<Position> all = positions();
        if (query.descending()) {
            all = new ArrayList<>(all);
            Collections.reverse(all);
        }
        List<Position> rest = all.stream().filter(p -> query.after().isEmpty() || follows(p, query)).toList();
        List<Position> shown = rest.subList(0, Math.min(limit, rest.size()));
        Position last = shown.get(shown.size() - 1);
        String next = rest.size() > limit ? Cursor.encode(new HistoryQuery.Keyset(last.sampledAt, last.id)) : null;
        try {
            return utf8(json.writeValueAsBytes(new PageView(shown.stream().map(PositionView::of).toList(), next)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean follows(Position p, HistoryQuery query) {
        HistoryQuery.Keyset after = query.after().get();
        int time = p.sampledAt.compareTo(after.sampledAt());
        int order = time != 0 ? time : Long.compare(p.id, after.id());
        return query.descending() ? order < 0 : order > 0;
    }

    /**
     * Bytes as text, for readable failures; the bytes Quarkus REST sent before, as writeValueAsBytes writes them
     * (its UTF-8 generator escapes characters beyond the BMP, the String one does not).
     */
    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<Position> positions() {
        List<Position> all = QuarkusTransaction.requiringNew().call(() -> Position.<Position> list(
                "source = ?1 order by sampledAt, id", SOURCE));
        assertEquals(SAMPLED.length, all.size());
        all.forEach(p -> assertNotNull(p.kafka));
        return all;
    }

    /** The next cursor of a page, read by Jackson rather than by hand. */
    private static final class PageViewNext {
        static String of(String page) {
            try {
                return new ObjectMapper().readTree(page).get("next").textValue();
            } catch (Exception e) {
                throw new IllegalStateException(page, e);
            }
        }
    }
}
