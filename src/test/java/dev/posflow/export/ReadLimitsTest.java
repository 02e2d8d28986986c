package dev.posflow.export;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.limits.ConcurrencyCap;
import dev.posflow.limits.ReadSlots;
import dev.posflow.testing.BulkRows;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.LoopbackClient;
import dev.posflow.testing.LoopbackClient.Answer;
import dev.posflow.testing.Rows;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The bounds on reads (issue 16, defect 3), with small values so that a test reaches them: exports and heatmaps beyond
 * their caps are 429 with Retry-After, an export ends at its time bound, a read past its statement time limit is 503.
 * Each test calls from its own loopback addresses: posflow counts anonymous callers by remote address.
 */
@QuarkusTest
@TestProfile(ReadLimitsTest.SmallReadLimits.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReadLimitsTest {

    public static class SmallReadLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("posflow.export.max-concurrent", "2",
                    "posflow.export.max-concurrent-per-caller", "1",
                    "posflow.export.max-duration", "10s",
                    "posflow.heatmap.max-concurrent", "1",
                    // so large that only the test that spends it on purpose meets it, and it is earned back in 2 s
                    "posflow.heatmap.database-time-share", "100",
                    "posflow.reads.statement-timeout", "20ms");
        }
    }

    private static final int BULK_ROWS = 300_000;
    private static String bulk;

    @Inject
    ReadSlots slots;

    private static synchronized String bulk() {
        if (bulk == null) {
            bulk = "limits-bulk-" + UUID.randomUUID().toString().substring(0, 8);
            BulkRows.insert(bulk, "limits-bulk", BULK_ROWS, BulkRows.hoursAgo(2));
        }
        return bulk;
    }

    @Test
    void exportsBeyondTheCallersOrTheServersCapAre429WithRetryAfter() throws Exception {
        String source = bulk();
        try (Socket first = export("127.0.0.61", source)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> runningExports() == 1);
            assertRefused(LoopbackClient.get("127.0.0.61", RestAssured.port, "/positions/export?source=" + source),
                    "posflow.export.max-concurrent-per-caller");
            try (Socket second = export("127.0.0.62", source)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> runningExports() == 2);
                assertRefused(LoopbackClient.get("127.0.0.63", RestAssured.port, "/positions/export?source=" + source),
                        "posflow.export.max-concurrent)");
                second.setSoLinger(true, 0);
            }
            first.setSoLinger(true, 0);
        }
        // the slots come back with the connections
        await().atMost(Duration.ofSeconds(30)).until(() -> LoopbackClient.get("127.0.0.63", RestAssured.port,
                "/positions/export?source=nobody-" + UUID.randomUUID()).status() == 200);
    }

    @Test
    void anExportPastItsMaxDurationEndsWithoutItsLastChunk() throws Exception {
        String source = bulk();
        long start = System.nanoTime();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = export("127.0.0.71", source)) {
            socket.setSoTimeout(60_000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            // slowly enough that 300,000 rows take far longer than the 10 s bound
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
                Thread.sleep(20);
            }
        } catch (IOException reset) {
            // a reset is as good an end as a close: the transfer is incomplete either way
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = received.toString(StandardCharsets.UTF_8);
        System.out.printf("export past its max duration: ended after %.1f s, %d bytes, %d rows%n", seconds,
                received.size(), text.lines().filter(line -> line.startsWith("{\"id\"")).count());
        assertTrue(text.startsWith("HTTP/1.1 200"), text.substring(0, Math.min(200, text.length())));
        assertTrue(seconds >= 9, "ended after " + seconds + " s");
        assertFalse(text.endsWith("\r\n0\r\n\r\n"), "the response did not end as a complete chunked body");
        assertTrue(text.lines().filter(line -> line.startsWith("{\"id\"")).count() < BULK_ROWS, "not every row");
        await().atMost(Duration.ofSeconds(10)).until(() -> runningExports() == 0);
    }

    @Test
    void heatmapsBeyondTheServersCapAre429WithRetryAfter() {
        String path = "/positions/heatmap?source=nobody-" + UUID.randomUUID() + "&cell=100&bbox=0,0,999,999";
        try (ConcurrencyCap.Slot running = slots.heatmaps().take("address:127.0.0.81")) {
            assertRefused(LoopbackClient.get("127.0.0.82", RestAssured.port, path), "posflow.heatmap.max-concurrent)");
        }
        assertEquals(200, LoopbackClient.get("127.0.0.82", RestAssured.port, path).status());
    }

    @Test
    void heatmapsPastTheirShareOfDatabaseTimeAre429UntilItIsEarnedBack() {
        String path = "/positions/heatmap?source=nobody-" + UUID.randomUUID() + "&cell=100&bbox=0,0,999,999";
        assertEquals(200, LoopbackClient.get("127.0.0.85", RestAssured.port, path).status());
        // as if heatmaps had kept the database busy for 1,150 s: 150 s beyond the 1,000 s a 10 s window holds at this
        // profile's share of 100, which earns them back in 1.5 s
        slots.heatmapTime().charge(Duration.ofSeconds(1150).toNanos());
        Answer refused = LoopbackClient.get("127.0.0.86", RestAssured.port, path);
        assertEquals(429, refused.status(), refused.body());
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertEquals(2, retryAfter, "Retry-After");
        assertTrue(refused.header("Content-Type").startsWith("application/problem+json"), refused.headers().toString());
        assertTrue(refused.body().contains("posflow.heatmap.database-time-share"), refused.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> LoopbackClient.get("127.0.0.86", RestAssured.port, path)
                .status() == 200);
    }

    @Test
    void aHeatmapPastTheStatementTimeLimitIs503SayingSo() {
        Answer answer = LoopbackClient.get("127.0.0.91", RestAssured.port, "/positions/heatmap?source=" + bulk()
                + "&cell=1000&bbox=0,0," + (BULK_ROWS - 1) + ",999");
        assertEquals(503, answer.status(), answer.body());
        assertTrue(answer.header("Content-Type").startsWith("application/problem+json"), answer.headers().toString());
        assertTrue(answer.body().contains("posflow.reads.statement-timeout"), answer.body());
    }

    private static void assertRefused(Answer answer, String key) {
        assertEquals(429, answer.status(), answer.body());
        assertEquals("5", answer.header("Retry-After"));
        assertTrue(answer.header("Content-Type").startsWith("application/problem+json"), answer.headers().toString());
        assertTrue(answer.body().contains(key), answer.body());
    }

    /** An export of the source that nobody reads yet: its query stays open. */
    private static Socket export(String from, String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 10_000);
        socket.getOutputStream().write(("GET /positions/export?format=ndjson&source=" + source + " HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static long runningExports() {
        return Rows.count("select count(*) from information_schema.processlist where db = database() and info like ?"
                + " and info not like '%processlist%'", "%posflow-export%");
    }
}
