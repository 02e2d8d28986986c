package dev.posflow.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/** Who may export, draw heatmaps and erase, with authentication on: readers read, only admins erase. */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperationsAuthTest {

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    @Test
    void readersAndAdminsExportAndDrawHeatmapsWritersAndStrangersDoNot() {
        for (String token : new String[] { AuthOnProfile.READER, AuthOnProfile.ADMIN }) {
            as(token).queryParam("to", "2001-01-01T00:00:00Z").get("/positions/export").then().statusCode(200);
            as(token).queryParam("cell", 20).queryParam("bbox", "0,0,1919,1079").queryParam("to", "2001-01-01T00:00:00Z")
                    .get("/positions/heatmap")
                    .then().statusCode(200);
        }
        as(AuthOnProfile.WRITER).get("/positions/export").then().statusCode(403);
        as(AuthOnProfile.WRITER).queryParam("cell", 20).queryParam("bbox", "0,0,1919,1079").get("/positions/heatmap").then()
                .statusCode(403);
        given().get("/positions/export").then().statusCode(401).contentType("application/problem+json");
        given().get("/positions/heatmap").then().statusCode(401);
    }

    @Test
    void onlyAdminsErase() {
        for (String token : new String[] { AuthOnProfile.READER, AuthOnProfile.WRITER }) {
            as(token).delete("/positions/1").then().statusCode(403).contentType("application/problem+json");
            as(token).queryParam("before", "2001-01-01T00:00:00Z").delete("/positions").then().statusCode(403);
            as(token).delete("/sources/someone").then().statusCode(403);
        }
        given().delete("/sources/someone").then().statusCode(401);
        as(AuthOnProfile.ADMIN).delete("/positions/999999999").then().statusCode(404);
        as(AuthOnProfile.ADMIN).queryParam("before", "2001-01-01T00:00:00Z").delete("/positions").then()
                .statusCode(200).body("deleted", is(0));
        as(AuthOnProfile.ADMIN).delete("/sources/nobody-here").then().statusCode(404);
    }
}
