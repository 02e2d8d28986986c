package dev.posflow.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The operations surface answers on the management port only, never on the public one. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ManagementInterfaceTest {

    /** The management interface's root path is /q: these are its /q/metrics, /q/health/ready and /q/openapi. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openApi;

    @Test
    void metricsHealthAndOpenApiAnswerOnTheManagementPortAndAre404OnThePublicOne() {
        for (String path : new String[] { "/q/metrics", "/q/health/ready", "/q/openapi" }) {
            given().get(path).then().statusCode(404);
        }
        given().get(metrics).then().statusCode(200).body(containsString("jvm_"));
        given().get(ready).then().statusCode(200);
        given().get(openApi).then().statusCode(200).body(containsString("/positions"));
    }
}
