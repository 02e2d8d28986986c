package dev.posflow.api;

import static io.restassured.RestAssured.given;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.SecurityHeaders;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every answer of the public port carries the browser security headers: the page and its files, API successes and
 * every kind of problem answer (the 401 and 403 of the auth profile: ApiTokenAuthTest; the packaged app:
 * PackagedAppIT). That the page still works under its policy is PageTest's and PageXssTest's part.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SecurityHeadersTest {

    @ParameterizedTest(name = "GET {0} ({1}) carries the security headers")
    @CsvSource(delimiter = '|', value = {
            "/                                 | 200",
            "/index.html                       | 200",
            "/page.js                          | 200",
            "/page.css                         | 200",
            "/sources                          | 200",
            "/positions                        | 200",
            "/positions?limit=0                | 400",
            "/positions/999999999999           | 404",
            "/no-such-file.js                  | 404",
    })
    void everyGetAnswerCarriesTheSecurityHeaders(String path, int status) {
        SecurityHeaders.present(given().urlEncodingEnabled(false).get(path).then().statusCode(status));
    }

    @ParameterizedTest(name = "POST /positions answering {0} carries the security headers")
    @CsvSource(delimiter = '|', value = {
            "202 | {\"source\": \"headers-check\", \"x\": 1, \"y\": 2}",
            "400 | {\"x\": 1}",
    })
    void postAnswersCarryTheSecurityHeaders(int status, String body) {
        SecurityHeaders.present(given().contentType("application/json").body(body).post("/positions").then()
                .statusCode(status));
    }

    @Test
    void aBodyOverTheHttpLimitIsAnswered413WithTheSecurityHeaders() {
        char[] big = new char[2 * 1024 * 1024];
        Arrays.fill(big, ' ');
        SecurityHeaders.present(given().contentType("application/json").body("[" + new String(big) + "]")
                .post("/positions").then().statusCode(413));
    }
}
