package dev.posflow.store;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.LeastPrivilegeUsers;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * posflow runs with the grants of docs/security.md and no more: Liquibase migrates (and, in tests, cleans) as the
 * migration user, ingest and reads work as the runtime user, which cannot change the schema.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LeastPrivilegeUsers.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LeastPrivilegeTest {

    @Test
    void ingestAndReadsWorkWithTheRuntimeGrantsAlone() {
        // the app's datasource is the runtime user, not root
        assertThat((String) Rows.query("select current_user() as who").get(0).get("who"),
                startsWith(LeastPrivilegeUsers.appUser() + "@"));
        TestKafka.sendKeyed("JSON", "least-privilege", "{\"id\": \"2021/04/10-20:56:00:000001\", \"x\": 7, \"y\": 8}");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().queryParam("source", "least-privilege")
                .get("/positions").then().statusCode(200).body("items[0].x", is(7)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/sources").then().statusCode(200)
                .body("items.source", hasItem("least-privilege")));
        given().queryParam("source", "least-privilege").get("/positions/latest").then().statusCode(200)
                .body("y", is(8));
    }

    @Test
    void theRuntimeUserCannotChangeTheSchema() throws SQLException {
        try (Connection app = LeastPrivilegeUsers.connectAs(LeastPrivilegeUsers.appUser(),
                LeastPrivilegeUsers.APP_PASSWORD); Statement sql = app.createStatement()) {
            assertThrows(SQLException.class, () -> sql.execute("create table pf_not_allowed (i int)"));
            assertThrows(SQLException.class, () -> sql.execute("drop table positions"));
            assertThrows(SQLException.class, () -> sql.execute("alter table positions add column z int"));
        }
    }
}
