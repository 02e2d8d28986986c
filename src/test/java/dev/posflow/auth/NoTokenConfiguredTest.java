package dev.posflow.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Auth on (the prod default) and not one token configured: every answer says how to configure one. */
@QuarkusTest
@TestProfile(NoTokenConfiguredTest.AuthOnNoTokens.class)
class NoTokenConfiguredTest {

    public static class AuthOnNoTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("posflow.auth.enabled", "true", "kafka.bootstrap.servers", "localhost:9");
        }
    }

    @Test
    void the401SaysHowToMintAndConfigureAToken() {
        for (String path : new String[] { "/positions/latest", "/sources" }) {
            given().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("none is configured"))
                    .body("detail", containsString("token --role"))
                    .body("detail", containsString("POSFLOW_AUTH_TOKENS"))
                    .body("detail", containsString("POSFLOW_AUTH_ENABLED=false"));
        }
        given().auth().oauth2(ApiToken.mint()).get("/sources").then().statusCode(401)
                .body("detail", containsString("none is configured"));
    }
}
