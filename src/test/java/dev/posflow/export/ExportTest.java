package dev.posflow.export;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.testing.BulkRows;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** GET /positions/export against the real broker and database: the three formats, refusals, and a client that leaves. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ExportTest {

    private static final String SOURCE = "export-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int COUNT = 12;
    private static final Instant BASE = Instant.parse("2024-03-01T10:00:00.000001Z");
    private static final String FROM = "2024-03-01T10:00:00Z";
    private static final String TO = "2024-03-01T11:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void storeSamples() {
        String[] values = new String[COUNT + 1];
        for (int i = 0; i < COUNT; i++) {
            values[i] = "{\"source\": \"" + SOURCE + "\", \"sampledAt\": \"" + BASE.plusSeconds(i) + "\", \"x\": " + i
                    + ", \"y\": " + (500 - i) + "}";
        }
        // outside the range [FROM, TO): not exported
        values[COUNT] = "{\"source\": \"" + SOURCE + "\", \"sampledAt\": \"2024-03-01T11:00:00Z\", \"x\": 1, \"y\": 1}";
        TestKafka.send("JSON", values);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.count("select count(*) from positions where source = ?", SOURCE) == COUNT + 1);
    }

    private static Response export(String format) {
        return given().queryParam("format", format).queryParam("source", SOURCE).queryParam("from", FROM)
                .queryParam("to", TO).get("/positions/export");
    }

    @Test
    void csvHasAHeaderAndOneLinePerPositionOfTheRangeInOrderWithAFileNameSayingWhatItHolds() {
        Response answer = export("csv");
        answer.then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", is("attachment; filename=\"positions_" + SOURCE
                        + "_2024-03-01T10-00-00Z_2024-03-01T11-00-00Z.csv\""));
        List<String> lines = answer.asString().lines().toList();

        assertEquals("id,source,sampledAt,x,y,receivedAt,kafkaTopic,kafkaPartition,kafkaOffset", lines.get(0));
        assertEquals(COUNT + 1, lines.size());
        for (int i = 0; i < COUNT; i++) {
            String[] fields = lines.get(i + 1).split(",");
            Map<String, Object> row = Rows.query("select id, kafka_offset from positions where source = ? and x = ?"
                    + " and sampled_at < '2024-03-01 11:00:00'", SOURCE, i).get(0);
            assertEquals(row.get("id").toString(), fields[0]);
            assertEquals(SOURCE, fields[1]);
            assertEquals(MicrosInstant.format(BASE.plusSeconds(i)), fields[2]);
            assertEquals(Integer.toString(i), fields[3]);
            assertEquals(Integer.toString(500 - i), fields[4]);
            assertTrue(fields[5].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), fields[5]);
            assertEquals("JSON", fields[6]);
            assertEquals(row.get("kafka_offset").toString(), fields[8]);
        }
    }

    @Test
    void ndjsonIsOnePositionPerLineAsTheApiWritesIt() throws Exception {
        Response answer = export("ndjson");
        answer.then().statusCode(200).contentType(containsString("application/x-ndjson"));
        List<String> lines = answer.asString().lines().toList();

        assertEquals(COUNT, lines.size());
        for (int i = 0; i < COUNT; i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            JsonNode byId = JSON.readTree(given().get("/positions/" + line.get("id").asLong()).asString());
            assertEquals(byId, line, "line " + i + " is what GET /positions/{id} answers");
            assertEquals(i, line.get("x").asInt());
        }
    }

    @Test
    void geojsonIsAFeatureCollectionOfPlanarPointsWithSourceAndTime() throws Exception {
        Response answer = export("geojson");
        answer.then().statusCode(200).contentType(containsString("application/geo+json"));
        JsonNode collection = JSON.readTree(answer.asString());

        assertEquals("FeatureCollection", collection.get("type").asText());
        assertEquals(COUNT, collection.get("features").size());
        JsonNode third = collection.get("features").get(2);
        assertEquals("Feature", third.get("type").asText());
        assertEquals("Point", third.get("geometry").get("type").asText());
        assertEquals(List.of(2, 498), List.of(third.get("geometry").get("coordinates").get(0).asInt(),
                third.get("geometry").get("coordinates").get(1).asInt()));
        assertEquals(SOURCE, third.get("properties").get("source").asText());
        assertEquals(MicrosInstant.format(BASE.plusSeconds(2)), third.get("properties").get("sampledAt").asText());
    }

    @Test
    void anEmptyRangeIsAHeaderOrAnEmptyCollection() throws Exception {
        String empty = "2001-01-01T00:00:00Z";
        given().queryParam("format", "csv").queryParam("source", SOURCE).queryParam("to", empty)
                .get("/positions/export").then().statusCode(200)
                .header("Content-Disposition", containsString("positions_" + SOURCE + "_start_2001-01-01T00-00-00Z.csv"))
                .body(is("id,source,sampledAt,x,y,receivedAt,kafkaTopic,kafkaPartition,kafkaOffset\n"));
        JsonNode collection = JSON.readTree(given().queryParam("format", "geojson").queryParam("source", SOURCE)
                .queryParam("to", empty).get("/positions/export").asString());
        assertEquals(0, collection.get("features").size());
    }

    @Test
    void badParametersAreProblemsBeforeTheFirstByte() {
        for (Map<String, String> query : List.of(Map.of("format", "gpx"), Map.of("from", "yesterday"),
                Map.of("source", "no spaces"), Map.of("from", TO, "to", FROM))) {
            given().queryParams(query).get("/positions/export").then().statusCode(400)
                    .contentType("application/problem+json").body("status", is(400));
        }
    }

    @Test
    void aClientThatDisconnectsMidExportFreesItsQueryAndConnectionAtOnce() throws Exception {
        String bulk = "export-bulk-" + UUID.randomUUID().toString().substring(0, 8);
        BulkRows.insert(bulk, "export-bulk", 300_000, BulkRows.hoursAgo(2));
        long killsBefore;
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            OutputStream request = socket.getOutputStream();
            request.write(("GET /positions/export?format=ndjson&source=" + bulk + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream response = socket.getInputStream();
            byte[] some = response.readNBytes(64 * 1024);
            assertTrue(new String(some, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"));
            // the client reads no further: the export waits, its streaming query still open on the server
            await().atMost(Duration.ofSeconds(30)).until(() -> runningExports() == 1);
            // counted before the disconnect: the server may cancel the query before this thread reads the count again
            killsBefore = queriesKilled();
            socket.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> runningExports() == 0);
        // cancelled on the server (KILL QUERY), not read to its end: closing a streaming result set would otherwise
        // fetch every remaining row first, holding the connection as long
        assertTrue(queriesKilled() > killsBefore, "the export's query was cancelled");
        given().get("/positions/latest").then().statusCode(200);
    }

    private static long queriesKilled() {
        return Long.parseLong(Rows.query("show global status like 'Com_kill'").get(0).get("Value").toString());
    }

    private static long runningExports() {
        return Rows.count("select count(*) from information_schema.processlist where info like ?"
                + " and info not like '%processlist%'", "%posflow-export%");
    }
}
