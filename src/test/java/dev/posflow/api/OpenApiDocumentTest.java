package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.ManagementPort;
import dev.posflow.testing.OpenApiDocuments;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The served /q/openapi (management port) is a document swagger-parser accepts, that tells a client how to
 * authenticate (API tokens as http bearer; OIDC only when configured: OidcBearerTest), which roles each operation
 * wants and the problem+json answers it gives.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OpenApiDocumentTest {

    @Test
    void theServedDocumentIsValidAndDescribesApiTokensAsBearerAndNoOidcWhenOidcIsOff() {
        OpenAPI document = OpenApiDocuments.valid(served());
        Map<String, SecurityScheme> schemes = document.getComponents().getSecuritySchemes();
        assertEquals(List.of(OpenApiSecurity.TOKEN_SCHEME), List.copyOf(schemes.keySet()));
        SecurityScheme token = schemes.get(OpenApiSecurity.TOKEN_SCHEME);
        assertEquals(SecurityScheme.Type.HTTP, token.getType());
        assertEquals("bearer", token.getScheme());
    }

    @Test
    void everyOperationListsItsRolesAndItsProblemAnswers() {
        OpenAPI document = OpenApiDocuments.valid(served());
        Map<String, List<String>> roles = OpenApiSecurity.rolesByOperation();
        List<String> seen = new ArrayList<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String key = method.name() + " " + path;
            seen.add(key);
            assertTrue(roles.containsKey(key), () -> key + " is not in OpenApiSecurity's resources");
            assertNotNull(operation.getSecurity(), key + " has no security requirement");
            List<String> scopes = operation.getSecurity().get(0).get(OpenApiSecurity.TOKEN_SCHEME);
            assertNotNull(scopes, key + " does not ask for an API token");
            // OpenAPI 3.1 lets an http scheme's requirement name roles; 3.0 wants it empty
            assertTrue(scopes.isEmpty() || scopes.equals(roles.get(key)), () -> key + " names " + scopes);
            assertEquals(roles.get(key), operation.getExtensions().get("x-posflow-roles"), key);
            for (String status : List.of("401", "403")) {
                problem(operation, status, key);
            }
            if ((operation.getParameters() != null && !operation.getParameters().isEmpty())
                    || operation.getRequestBody() != null) {
                problem(operation, "400", key);
            }
        }));
        assertEquals(roles.keySet().stream().sorted().toList(), seen.stream().sorted().toList(),
                "every posflow operation is in the document");
        Operation post = document.getPaths().get("/positions").getPost();
        for (String status : List.of("413", "415", "429", "503")) {
            problem(post, status, "POST /positions");
        }
        problem(document.getPaths().get("/positions/{id}").getGet(), "404", "GET /positions/{id}");
        problem(document.getPaths().get("/sources/{source}").getDelete(), "404", "DELETE /sources/{source}");
        problem(document.getPaths().get("/positions/stream").getGet(), "429", "GET /positions/stream");
        assertEquals(List.of("admin"), document.getPaths().get("/admin/replay").getPost().getExtensions()
                .get("x-posflow-roles"));
        assertEquals(List.of("writer", "admin"), document.getPaths().get("/positions").getPost().getExtensions()
                .get("x-posflow-roles"));
    }

    private static void problem(Operation operation, String status, String key) {
        ApiResponse response = operation.getResponses().get(status);
        assertNotNull(response, () -> key + " does not list " + status);
        assertNotNull(response.getContent(), () -> key + " " + status + " has no content");
        assertFalse(response.getContent().get("application/problem+json") == null,
                () -> key + " " + status + " is not application/problem+json");
    }

    private static String served() {
        return given().port(ManagementPort.port()).queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString();
    }
}
