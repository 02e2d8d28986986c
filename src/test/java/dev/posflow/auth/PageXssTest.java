package dev.posflow.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The browser page in headless Chromium (src/test/js/page-xss.mjs; the build installs playwright-core),
 * auth on, with source names that are HTML stored in MySQL: they show as text and no script runs.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PageXssTest {

    private static final Path SCRIPT = Path.of("src", "test", "js", "page-xss.mjs");

    @TestHTTPResource("/")
    URL page;

    @Test
    void hostileSourceNamesShowAsTextAndRunNoScript() throws Exception {
        assertTrue(Files.isDirectory(Path.of("src", "test", "js", "node_modules", "playwright-core")),
                "the build installs playwright-core (src/build/test-js-deps.sh); was it run with -DskipTests?");
        // written straight to MySQL: the API refuses such names, the page must not rely on that
        List<String> hostile = List.of("<img src=x onerror=alert(1)>", "<img src=x onerror=window.xss=1>",
                "<script>window.xss=2</script>");
        long offset = System.nanoTime();
        for (String source : hostile) {
            store(source, offset++);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(AuthOnProfile.READER)
                .get("/positions/latest").asString().contains("onerror=window.xss=1"));

        String live = "vehicle-live-" + UUID.randomUUID();
        Process node = new ProcessBuilder("node", SCRIPT.toString(), page.toString(), AuthOnProfile.READER,
                String.join("\n", hostile), live).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.equals("READY")) { // the page shows the stored names and reads the stream: publish one
                    given().auth().oauth2(AuthOnProfile.WRITER).contentType("application/json")
                            .body("{\"source\": \"" + live + "\", \"x\": 100, \"y\": 200}")
                            .post("/positions").then().statusCode(202);
                }
            }
        }
        assertTrue(node.waitFor(90, TimeUnit.SECONDS), "the browser did not finish");
        assertEquals(0, node.exitValue(), () -> "the page check failed:\n" + String.join("\n", output));
    }

    private static void store(String source, long offset) throws SQLException {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection()) {
            for (String sql : List.of(
                    "insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                            + " kafka_offset) values (?, now(6), 10, 20, now(6), 'page-test', 0, ?)",
                    "insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset,"
                            + " row_count, first_sampled_at) values (?, now(6), 'page-test', 0, ?, 1, now(6))")) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, source);
                    statement.setLong(2, offset);
                    statement.executeUpdate();
                }
            }
        }
    }
}
