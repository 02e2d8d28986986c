package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A few hundred random and hostile query strings, ids and bodies against the running app: never a 5xx, and every
 * refusal a problem+json. Plain Random with a printed seed (jqwik does not run inside a @QuarkusTest); rerun a failure
 * with -Dposflow.fuzz.seed=N.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HostileRequestsTest {

    private static final List<String> HOSTILE = List.of("", " ", "\u0000", "a\u0000b", "<img src=x onerror=alert(1)>",
            "../../etc/passwd", "' or 1=1 --", "%00", "\r\nX-Injected: 1", "\uFEFF", "é", "s".repeat(65),
            "2021-04-10T20:51:36Z", "2021/04/10-20:51:36:287301", "+10000-01-01T00:00:00Z", "-1", "0", "1001",
            "99999999999999999999", "desc", "asc", "MToxNjE4MDg", "ok-source", "{\"x\":1}", "[]", "null");
    private static final List<String> PARAMETERS = List.of("source", "from", "to", "limit", "after", "order",
            "unknown");

    private final long seed = Long.getLong("posflow.fuzz.seed", System.nanoTime());
    private final Random random = new Random(seed);

    private String text() {
        if (random.nextInt(3) == 0) {
            return HOSTILE.get(random.nextInt(HOSTILE.size()));
        }
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x3000) : (char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }

    private String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String body() {
        return switch (random.nextInt(5)) {
            case 0 -> text();
            case 1 -> "{\"source\": \"" + text().replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"x\": "
                    + random.nextLong() + ", \"y\": " + random.nextInt() + "}";
            case 2 -> "[" + "{\"x\": 1, \"y\": 2},".repeat(random.nextInt(5)) + text() + "]";
            case 3 -> "[".repeat(random.nextInt(2000)) + "]".repeat(random.nextInt(2000));
            default -> "{\"x\": " + text() + ", \"y\": 2, \"sampledAt\": \"" + encoded(text()) + "\"}";
        };
    }

    @Test
    void randomAndHostileRequestsNeverGetA5xx() {
        System.out.println("HostileRequestsTest seed: " + seed + " (rerun with -Dposflow.fuzz.seed=" + seed + ")");
        for (int i = 0; i < 300; i++) {
            String description;
            Response response;
            switch (random.nextInt(4)) {
                case 0 -> {
                    StringBuilder query = new StringBuilder("/positions?");
                    for (int p = random.nextInt(4); p >= 0; p--) {
                        query.append(PARAMETERS.get(random.nextInt(PARAMETERS.size()))).append('=')
                                .append(encoded(text())).append('&');
                    }
                    description = "GET " + query;
                    response = given().urlEncodingEnabled(false).get(query.toString());
                }
                case 1 -> {
                    String path = "/positions/" + encoded(text()).replace("+", "%20");
                    description = "GET " + path;
                    response = given().urlEncodingEnabled(false).get(path);
                }
                case 2 -> {
                    String path = "/positions/latest?source=" + encoded(text());
                    description = "GET " + path;
                    response = given().urlEncodingEnabled(false).get(path);
                }
                default -> {
                    String body = body();
                    description = "POST " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
                    response = given().contentType("application/json").body(body).post("/positions");
                }
            }
            int status = response.statusCode();
            String what = description + " (seed " + seed + ") answered " + status + ": " + response.asString();
            assertTrue(status < 500, what);
            if (status >= 400) {
                assertTrue(String.valueOf(response.contentType()).startsWith("application/problem+json"), what);
            }
        }
    }
}
