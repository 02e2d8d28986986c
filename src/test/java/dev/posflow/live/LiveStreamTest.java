package dev.posflow.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LiveStreamTest {

    @TestHTTPResource("/positions/stream?source=live-test")
    URL stream;

    @Test
    void aStoredPositionAppearsOnTheLiveStreamOfItsSource() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(URI.create(stream.toString()))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<String> firstEvent = CompletableFuture.supplyAsync(
                () -> response.body().filter(line -> line.startsWith("data:")).findFirst().orElseThrow());

        // the subscription may trail the response headers by a moment: send until the stream shows one
        for (int attempt = 0; attempt < 15 && !firstEvent.isDone(); attempt++) {
            TestKafka.send("JSON", "{\"source\": \"other\", \"sampledAt\": \"2021-04-10T21:00:00Z\", \"x\": 1, \"y\": 1}",
                    "{\"source\": \"live-test\", \"sampledAt\": \"2021-04-10T21:00:00.000007Z\", \"x\": 77, \"y\": 78}");
            try {
                firstEvent.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException notYet) {
                // send again
            }
        }

        String event = firstEvent.get(1, TimeUnit.SECONDS);
        assertTrue(event.contains("\"source\":\"live-test\""), event);
        assertTrue(event.contains("\"sampledAt\":\"2021-04-10T21:00:00.000007Z\""), event);
        assertTrue(event.contains("\"x\":77"), event);
        response.body().close();
    }

    @Test
    void theBrowserPageIsServedAtTheRoot() {
        given().get("/").then().statusCode(200).body(containsString("<script src=\"/page.js\"></script>"));
        given().get("/page.js").then().statusCode(200)
                // the stream read with fetch (EventSource cannot send the Authorization header); PageXssTest runs it
                .body(containsString("fetch(\"/positions/stream\""))
                .body(containsString("fetch(\"/positions\""));
    }
}
