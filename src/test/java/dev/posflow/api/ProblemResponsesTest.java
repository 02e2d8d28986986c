package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Every error is RFC 9457 problem+json: 400 for a bad parameter or body (never 500), 404 for what does not exist. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ProblemResponsesTest {

    @ParameterizedTest(name = "GET {0} answers {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "/positions?limit=0                                   | 400 | 'limit' must be an integer from 1 to 1000",
            "/positions?limit=1001                                | 400 | 'limit' must be an integer from 1 to 1000",
            "/positions?limit=ten                                 | 400 | 'limit' must be an integer from 1 to 1000",
            "/positions?order=sideways                            | 400 | 'order' must be 'asc' or 'desc'",
            "/positions?from=yesterday                            | 400 | 'from' is not an ISO-8601 instant",
            "/positions?to=2021-13-01T00:00:00Z                   | 400 | 'to' is not an ISO-8601 instant",
            "/positions?from=2021-01-02T00:00:00Z&to=2021-01-01T00:00:00Z | 400 | 'from' (2021-01-02T00:00:00Z) must be before 'to'",
            "/positions?after=not-a-cursor                        | 400 | 'after' is not a cursor that posflow gave out",
            "/positions?source=%20%20                             | 400 | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "/positions?source=a%00b                              | 400 | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "/positions/latest?source=%3Cscript%3E                | 400 | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "/positions/stream?source=a%2Fb                       | 400 | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "/positions/seventeen                                 | 400 | a position id is a positive integer",
            "/positions/999999999999                              | 404 | no position with id 999999999999",
            "/positions/latest?source=nobody-has-this-name        | 404 | no position of source 'nobody-has-this-name'",
            "/no-such-resource                                    | 404 | HTTP 404 Not Found",
    })
    void badOrUnknownGetAnswersAProblem(String path, int status, String detail) {
        expectProblem(given().urlEncodingEnabled(false).get(path).then(), status, detail, path.split("\\?")[0]);
    }

    @ParameterizedTest(name = "POST {0} answers 400: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "this is not json                                      | the body is not JSON",
            "``                                                    | the body is empty",
            "[]                                                    | the array holds no sample",
            "{\"x\": 1}                                            | 'y' is missing",
            "{\"x\": 1, \"y\": 2.5}                                | 'y' must be an integer",
            "{\"x\": 1, \"y\": 2, \"id\": \"2021-04-10\"}         | is not a sampling time of the form",
            "{\"x\": 1, \"y\": 2, \"sampledAt\": \"tomorrow\"}    | 'sampledAt' is not an ISO-8601 instant",
            "[{\"x\": 1, \"y\": 2}, {\"x\": 1}]                    | sample [1]: 'y' is missing",
            "{\"x\": 1, \"y\": 2, \"source\": \"\"}                | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "{\"x\": 1, \"y\": 2, \"source\": \"<img src=x onerror=alert(1)>\"} | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "{\"x\": 1, \"y\": 2, \"source\": \"a\\u0000b\"}     | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "{\"x\": 1, \"y\": 2, \"source\": \"café\"}            | 'source' must match [A-Za-z0-9._:@-]{1,64}",
            "42                                                    | a sample must be a JSON object",
    })
    void badSampleBodyAnswersAProblem(String body, String detail) {
        expectProblem(given().contentType("application/json").body(body).post("/positions").then(), 400, detail,
                "/positions");
    }

    @Test
    void aBodyThatIsNotJsonByMediaTypeAnswers415() {
        expectProblem(given().contentType("text/plain").body("x=1").post("/positions").then(), 415,
                "content-type header value did not match",
                "/positions");
    }

    private static void expectProblem(ValidatableResponse response, int status, String detail, String instance) {
        // an empty expected detail would match any answer
        assertFalse(detail == null || detail.isBlank(), "every case names the detail it expects");
        response.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", is(status))
                .body("title", is(Response.Status.fromStatusCode(status).getReasonPhrase()))
                .body("detail", containsString(detail))
                .body("instance", is(instance));
    }
}
