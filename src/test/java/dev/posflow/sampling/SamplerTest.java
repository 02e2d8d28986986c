package dev.posflow.sampling;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(SamplerTest.SimulatedSampler.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SamplerTest {

    static final String NAME = "sampler-under-test";

    public static class SimulatedSampler implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("posflow.sampler.source", "simulated", "posflow.sampler.interval", "100ms",
                    "posflow.sampler.name", NAME, "posflow.sampler.screen-width", "640",
                    "posflow.sampler.screen-height", "480");
        }
    }

    @Test
    void sampledPositionsArePublishedInSeedFormatThroughTheEmitterAndStored() throws Exception {
        List<ConsumerRecord<String, String>> mine = await().atMost(Duration.ofSeconds(30))
                .until(() -> TestKafka.read("positions", 5, Duration.ofSeconds(2)).stream()
                        .filter(record -> NAME.equals(record.key())).toList(), found -> found.size() >= 5);

        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<String, String> record : mine) {
            JsonNode value = json.readTree(record.value());
            assertTrue(value.get("id").textValue().matches("\\d{4}/\\d{2}/\\d{2}-\\d{2}:\\d{2}:\\d{2}:\\d{6}"),
                    record.value());
            int x = value.get("x").intValue();
            int y = value.get("y").intValue();
            assertTrue(x >= 0 && x < 640 && y >= 0 && y < 480, "inside the configured screen: " + record.value());
            assertTrue(value.get("sampledAt").textValue().matches(".*T.*\\.\\d{6}Z"), record.value());
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("source", NAME)
                .get("/positions/latest").then().statusCode(200).body("source", is(NAME)));
    }
}
