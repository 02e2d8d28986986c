package dev.posflow.limits;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.LoopbackClient;
import dev.posflow.testing.LoopbackClient.Answer;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Each limit of docs/security.md against the running app, with small limits so that a test reaches them. Every test
 * calls from its own loopback address (127.0.0.N): posflow counts anonymous callers by remote address.
 */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("posflow.sample.x-range", "0..4095"),
                    Map.entry("posflow.sample.y-range", "0..2047"),
                    Map.entry("posflow.publish.max-samples-per-request", "5"),
                    Map.entry("posflow.publish.rate-limit", "10"),
                    Map.entry("posflow.publish.rate-period", "10m"),
                    Map.entry("posflow.publish.max-new-sources-per-writer", "3"),
                    Map.entry("posflow.live.max-subscribers", "3"),
                    Map.entry("posflow.live.max-subscribers-per-caller", "2"),
                    Map.entry("posflow.live.heartbeat", "1s"),
                    Map.entry("quarkus.http.limits.max-body-size", "64K"));
        }
    }

    @Inject
    LiveSubscribers liveSubscribers;

    private static int port() {
        return RestAssured.port;
    }

    private static String samples(String source, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"source\": \"" + source + "\", \"x\": " + i + ", \"y\": 1}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static void assertProblem(Answer answer, int status, String detail) {
        assertEquals(status, answer.status(), answer.toString());
        assertThat(answer.header("content-type"), startsWith("application/problem+json"));
        assertThat(answer.body(), containsString("\"status\":" + status));
        assertThat(answer.body(), containsString(detail));
    }

    @Test
    void coordinatesOutsideTheConfiguredRangeAreRefusedOverHttp() {
        assertProblem(LoopbackClient.post("127.0.0.11", port(), "/positions",
                "{\"source\": \"range\", \"x\": 4096, \"y\": 1}"), 400, "'x' is out of range: 4096 (allowed 0 to 4095)");
        assertProblem(LoopbackClient.post("127.0.0.11", port(), "/positions",
                "{\"source\": \"range\", \"x\": 1, \"y\": -1}"), 400, "'y' is out of range: -1 (allowed 0 to 2047)");
    }

    @Test
    void coordinatesOutsideTheConfiguredRangeAreDeadLetteredFromKafka() {
        String outside = "{\"source\": \"range-kafka\", \"id\": \"2021/04/10-20:53:00:000001\", \"x\": 5000, \"y\": 1}";
        String inside = "{\"source\": \"range-kafka\", \"id\": \"2021/04/10-20:53:00:000002\", \"x\": 4095, \"y\": 2047}";
        List<RecordMetadata> sent = TestKafka.send("JSON", outside, inside);

        await().atMost(Duration.ofSeconds(60)).until(() -> Rows.forRecord("JSON", sent.get(1).partition(),
                sent.get(1).offset()).size() == 1);
        assertEquals(0, Rows.forRecord("JSON", sent.get(0).partition(), sent.get(0).offset()).size());
        ConsumerRecord<String, String> letter = TestKafka.read("positions-dlq", 1, Duration.ofSeconds(30)).stream()
                .filter(record -> record.value().equals(outside)).findFirst().orElseThrow();
        assertThat(new String(letter.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8),
                containsString("'x' is out of range: 5000 (allowed 0 to 4095)"));
    }

    @Test
    void aBodyOverTheHttpLimitIsAnswered413AsAProblem() {
        String big = "[" + "{\"x\": 1, \"y\": 1},".repeat(5000) + "{\"x\": 1, \"y\": 1}]"; // ~90 KB > 64K
        assertProblem(LoopbackClient.post("127.0.0.12", port(), "/positions", big), 413,
                "more than the 65536 taken (quarkus.http.limits.max-body-size)");
    }

    @Test
    void moreSamplesThanAllowedPerRequestAreAnswered413() {
        assertProblem(LoopbackClient.post("127.0.0.13", port(), "/positions", samples("many", 6)), 413,
                "more than the 5 samples taken at once");
    }

    @Test
    void aCallerThatFloodsPostGets429WithRetryAfterWhileOthersAreServed() {
        assertEquals(202, LoopbackClient.post("127.0.0.14", port(), "/positions", samples("flood", 5)).status());
        assertEquals(202, LoopbackClient.post("127.0.0.14", port(), "/positions", samples("flood", 5)).status());

        Answer refused = LoopbackClient.post("127.0.0.14", port(), "/positions", samples("flood", 1));
        assertProblem(refused, 429, "more than 10 samples per PT10M from this caller");
        assertNotNull(refused.header("retry-after"));
        assertTrue(Integer.parseInt(refused.header("retry-after")) > 0, refused.header("retry-after"));

        // another caller has its own budget
        assertEquals(202, LoopbackClient.post("127.0.0.15", port(), "/positions", samples("flood", 1)).status());
    }

    @Test
    void aWriterCreatesAtMostItsQuotaOfNewSources() {
        String from = "127.0.0.16";
        for (String source : List.of("quota-a", "quota-b", "quota-c")) {
            assertEquals(202, LoopbackClient.post(from, port(), "/positions", samples(source, 1)).status(), source);
        }
        assertProblem(LoopbackClient.post(from, port(), "/positions", samples("quota-d", 1)), 403,
                "at most 3 new sources");
        // its own sources, and another writer's new one, are still taken
        assertEquals(202, LoopbackClient.post(from, port(), "/positions", samples("quota-a", 1)).status());
        assertEquals(202, LoopbackClient.post("127.0.0.17", port(), "/positions", samples("quota-d", 1)).status());
    }

    @Test
    void liveStreamsAreCappedPerCallerAndInTotalAndADisconnectFreesASlot() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> liveSubscribers.total() == 0);
        try (LoopbackClient.Stream first = LoopbackClient.open("127.0.0.18", port(), "/positions/stream");
                LoopbackClient.Stream second = LoopbackClient.open("127.0.0.18", port(), "/positions/stream")) {
            assertEquals(200, first.status);
            assertEquals(200, second.status);
            await().atMost(Duration.ofSeconds(10)).until(() -> liveSubscribers.total() == 2);

            Answer third = LoopbackClient.get("127.0.0.18", port(), "/positions/stream");
            assertProblem(third, 429, "this caller holds its most live streams (2");
            assertNotNull(third.header("retry-after"));

            try (LoopbackClient.Stream other = LoopbackClient.open("127.0.0.19", port(), "/positions/stream")) {
                assertEquals(200, other.status);
                Answer overTotal = LoopbackClient.get("127.0.0.20", port(), "/positions/stream");
                assertProblem(overTotal, 429, "the server holds its most live streams (3");
                assertNotNull(overTotal.header("retry-after"));
            }
            // the client went away: its slot is freed, and a new caller gets in
            await().atMost(Duration.ofSeconds(10)).until(() -> liveSubscribers.total() == 2);
            try (LoopbackClient.Stream again = LoopbackClient.open("127.0.0.20", port(), "/positions/stream")) {
                assertEquals(200, again.status);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> liveSubscribers.total() == 0);
    }

    @Test
    void anIdleLiveStreamCarriesHeartbeatComments() throws Exception {
        try (LoopbackClient.Stream stream = LoopbackClient.open("127.0.0.21", port(), "/positions/stream?source=quiet")) {
            assertEquals(200, stream.status);
            long start = System.nanoTime();
            String line;
            do {
                line = stream.readLine();
            } while (line != null && !line.startsWith(":"));
            assertNotNull(line, "stream ended without a heartbeat");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        }
    }
}
