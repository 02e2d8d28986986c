package dev.posflow.page;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The browser page in headless Chromium (src/test/js/page-view.mjs; the build installs playwright-core),
 * opened after positions were ingested from Kafka: its canvases show them, pixel by pixel. The live view draws the
 * stored trails before anything new arrives; the history view draws a chosen range and nothing outside it, and its
 * slider and play button replay it; the heatmap panel draws the agreed JSON and says when the server has none.
 * Leaves a screenshot at target/page.png (docs/page.png is a copy of one).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PageTest {

    private static final Path SCRIPT = Path.of("src", "test", "js", "page-view.mjs");
    private static final Path SCREENSHOT = Path.of("target", "page.png");
    private static final int WALK = 60;

    @TestHTTPResource("/")
    URL page;

    /** A walk across the screen, one position a minute: x 200 → 1675, y 300 → 890. */
    private static int[] walk(int i) {
        return new int[] { 200 + 25 * i, 300 + 10 * i };
    }

    @Test
    void canvasesDrawStoredPositionsAndTheChosenRange() throws Exception {
        assertTrue(Files.isDirectory(Path.of("src", "test", "js", "node_modules", "playwright-core")),
                "the build installs playwright-core (src/build/test-js-deps.sh); was it run with -DskipTests?");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String walker = "page-walk-" + suffix, pacer = "page-pace-" + suffix;
        // ending now: the live view loads the recent history of the sources sampled last, and other tests' sources
        // in the same database must not push these two out
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(WALK));
        List<String> values = new ArrayList<>();
        for (int i = 0; i < WALK; i++) {
            int[] p = walk(i);
            values.add(sample(walker, start.plusSeconds(60L * i), p[0], p[1]));
        }
        for (int i = 0; i < 20; i++) { // a second source: a vertical line at x 1800
            values.add(sample(pacer, start.plusSeconds(180L * i), 1800, 100 + 20 * i));
        }
        TestKafka.send("JSON", values.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.count(
                "select count(*) from positions where source in (?, ?)", walker, pacer) == values.size());

        // the range [start, start + 30 min) holds the walk's first 30 positions
        Map<String, Object> history = Map.of("source", walker, "from", start.toString(),
                "to", start.plus(Duration.ofMinutes(30)).toString(), "count", 30,
                "drawn", List.of(walk(0), walk(10), walk(29)),
                "notDrawn", List.of(walk(35), walk(50), walk(59)),
                "replayAt", 5, "drawnAtReplay", List.of(walk(0), walk(5)),
                "notDrawnAtReplay", List.of(walk(10), walk(20)));
        Map<String, Object> spec = Map.of("url", page.toString(), "screenshot", SCREENSHOT.toString(),
                "live", List.of(walk(0), walk(30), walk(59), new int[] { 1800, 100 }, new int[] { 1800, 480 }),
                "history", history);

        Files.deleteIfExists(SCREENSHOT);
        Process node = new ProcessBuilder("node", SCRIPT.toString(), new ObjectMapper().writeValueAsString(spec))
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser did not finish");
        assertEquals(0, node.exitValue(), () -> "the page check failed:\n" + output);
        assertTrue(isPng(SCREENSHOT), "no screenshot at " + SCREENSHOT);
    }

    private static String sample(String source, Instant at, int x, int y) {
        return "{\"source\": \"" + source + "\", \"sampledAt\": \"" + at + "\", \"x\": " + x + ", \"y\": " + y + "}";
    }

    private static boolean isPng(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        byte[] head = new byte[4];
        System.arraycopy(Files.readAllBytes(file), 0, head, 0, 4);
        return head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
    }
}
