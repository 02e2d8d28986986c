package dev.posflow.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.ManagementPort;
import dev.posflow.testing.OpenApiDocuments;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * OIDC bearer tokens next to API tokens, against Quarkus's OIDC test server: only tokens for posflow's audience, roles
 * from posflow's own claim (posflow_roles, never groups), API tokens still first. OIDC is on here only because quarkus.oidc.auth-server-url is set (no tenant-enabled switch).
 */
@QuarkusTest
@TestProfile(OidcBearerTest.WithOidc.class)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OidcBearerTest {

    private static final String LOG_FILE = "target/oidc-test.log";
    private static final String AUDIENCE = "https://service.example.com";

    public static class WithOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new AuthOnProfile().getConfigOverrides());
            config.put("quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/");
            config.put("quarkus.oidc.client-id", "quarkus-service-app");
            // the audience posflow's tokens carry; roles from posflow_roles by default (application.properties)
            config.put("quarkus.oidc.token.audience", AUDIENCE);
            config.put("quarkus.log.file.path", LOG_FILE);
            return config;
        }
    }

    @Test
    void anOidcReaderReadsAndCannotWrite() {
        String reader = jwt("alice", "reader");
        given().auth().oauth2(reader).get("/sources").then().statusCode(200);
        given().auth().oauth2(reader).contentType("application/json").body("{\"source\": \"a\", \"x\": 1, \"y\": 2}")
                .post("/positions").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void anOidcWriterWritesAndCannotRead() {
        String writer = jwt("bob", "writer");
        given().auth().oauth2(writer).contentType("application/json")
                .body("{\"source\": \"oidc-" + UUID.randomUUID() + "\", \"x\": 1, \"y\": 2}")
                .post("/positions").then().statusCode(202);
        given().auth().oauth2(writer).get("/sources").then().statusCode(403);
    }

    @Test
    void rolesComeFromTheConfiguredClaimOnly() {
        // the same role in the default 'groups' claim gives nothing
        String groupsOnly = Jwt.preferredUserName("carol").groups("reader").issuer("https://server.example.com")
                .audience(AUDIENCE).expiresIn(Duration.ofMinutes(5)).sign();
        given().auth().oauth2(groupsOnly).get("/sources").then().statusCode(403);
    }

    @Test
    void theOpenApiDocumentDescribesOidcWithItsDiscoveryUrlNextToApiTokens() {
        OpenAPI document = OpenApiDocuments.valid(given().port(ManagementPort.port()).queryParam("format", "json")
                .get("/q/openapi").then()
                .statusCode(200).extract().asString());
        SecurityScheme oidc = document.getComponents().getSecuritySchemes().get("oidc");
        assertEquals(SecurityScheme.Type.OPENIDCONNECT, oidc.getType());
        assertEquals(ConfigProvider.getConfig().getValue("keycloak.url", String.class)
                + "/realms/quarkus/.well-known/openid-configuration", oidc.getOpenIdConnectUrl());
        assertEquals(SecurityScheme.Type.HTTP, document.getComponents().getSecuritySchemes().get("apiToken").getType());
        List<String> schemes = document.getPaths().get("/sources").getGet().getSecurity().stream()
                .flatMap(requirement -> requirement.keySet().stream()).toList();
        assertEquals(List.of("apiToken", "oidc"), schemes);
    }

    @Test
    void aTokenTheProviderIssuedForAnotherAudienceIs401() {
        for (String audience : List.of("https://another-app.example.com", "quarkus-service-app")) {
            String elsewhere = Jwt.preferredUserName("mallory").claim("posflow_roles", List.of("admin"))
                    .issuer("https://server.example.com").audience(audience).expiresIn(Duration.ofMinutes(5)).sign();
            given().auth().oauth2(elsewhere).get("/sources").then().statusCode(401)
                    .contentType(startsWith("application/problem+json"));
        }
        String noAudience = Jwt.preferredUserName("mallory").claim("posflow_roles", List.of("admin"))
                .issuer("https://server.example.com").expiresIn(Duration.ofMinutes(5)).sign();
        given().auth().oauth2(noAudience).get("/sources").then().statusCode(401);
    }

    @Test
    void adminInGroupsIsNotAPosflowAdmin() {
        // the provider's groups say admin (of something), posflow's own claim says reader: a reader
        String token = Jwt.preferredUserName("erin").groups(Set.of("admin")).claim("posflow_roles", List.of("reader"))
                .issuer("https://server.example.com").audience(AUDIENCE).expiresIn(Duration.ofMinutes(5)).sign();
        given().auth().oauth2(token).get("/sources").then().statusCode(200);
        given().auth().oauth2(token).delete("/sources/oidc-nobody").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"topic\": \"JSON\", \"partition\": 0, \"from\": 0}")
                .post("/admin/replay").then().statusCode(403);
        // and posflow's admin is admin
        given().auth().oauth2(jwt("frank", "admin")).delete("/sources/oidc-nobody-" + UUID.randomUUID()).then()
                .statusCode(404);
    }

    @Test
    void aJwtSignedByAnotherKeyOrExpiredIs401AndApiTokensStillWork() {
        String valid = jwt("alice", "reader");
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        given().auth().oauth2(tampered).get("/sources").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType(startsWith("application/problem+json"));
        String expired = Jwt.preferredUserName("alice").claim("posflow_roles", List.of("reader"))
                .issuer("https://server.example.com").audience(AUDIENCE)
                .issuedAt(System.currentTimeMillis() / 1000 - 3600).expiresAt(System.currentTimeMillis() / 1000 - 1800)
                .sign();
        given().auth().oauth2(expired).get("/sources").then().statusCode(401).body("status", is(401));

        given().auth().oauth2(AuthOnProfile.READER).get("/sources").then().statusCode(200);
        given().get("/sources").then().statusCode(401);
    }

    @Test
    void noJwtReachesTheLogEvenAtDebug() throws Exception {
        String reader = jwt("dave", "reader");
        given().auth().oauth2(reader).get("/sources").then().statusCode(200);
        String bad = reader.substring(0, reader.length() - 4) + "AAAA";
        given().auth().oauth2(bad).get("/sources").then().statusCode(401);
        Path log = Path.of(LOG_FILE);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("/sources HTTP/1.1\" 401"));
        String written = Files.readString(log);
        for (String secret : List.of(reader, bad, reader.split("\\.")[2], "Bearer ey")) {
            assertFalse(written.contains(secret), () -> "the log holds '" + secret + "'");
        }
    }

    private static String jwt(String user, String role) {
        return Jwt.preferredUserName(user).claim("posflow_roles", List.of(role))
                .issuer("https://server.example.com").audience(AUDIENCE)
                .expiresIn(Duration.ofMinutes(5)).sign();
    }
}
