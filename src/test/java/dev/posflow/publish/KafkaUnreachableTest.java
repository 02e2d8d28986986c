package dev.posflow.publish;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.sampling.DroppedSamples;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With no broker to talk to, posflow stays up: it counts what it cannot publish and tells clients to retry. */
@QuarkusTest
@TestProfile(KafkaUnreachableTest.NoBroker.class)
class KafkaUnreachableTest {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // port 9 (discard) has no listener here: every connection is refused
            return Map.of("kafka.bootstrap.servers", "localhost:9",
                    "posflow.publish.ack-timeout", "1s",
                    "posflow.publish.buffer-size", "4",
                    // the bound on held samples is the buffer plus the records in flight: keep both small
                    "mp.messaging.outgoing.positions-out.max-inflight-messages", "1",
                    "posflow.sampler.source", "simulated",
                    "posflow.sampler.interval", "20ms");
        }
    }

    @Inject
    DroppedSamples dropped;

    /** /q/metrics of the management interface (its root path is /q) */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void postAnswers503WithRetryAfterWhenKafkaDoesNotTakeTheSamples() {
        given().contentType("application/json").body("{\"source\": \"nowhere\", \"x\": 1, \"y\": 2}")
                .post("/positions").then()
                .statusCode(503)
                .header("Retry-After", is("5"))
                .contentType(startsWith("application/problem+json"))
                .body("status", is(503))
                .body("detail", containsString("Kafka"));
    }

    @Test
    void sampledPositionsBeyondTheBufferAreDroppedAndCounted() {
        await().atMost(Duration.ofSeconds(30)).until(() -> dropped.total() > 0);

        given().get(metrics).then().statusCode(200).body(containsString("posflow_sampler_dropped_total"));
        assertTrue(dropped.total() > 0);
    }
}
