package dev.posflow.latest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /positions/latest is served from memory; what another instance commits (here: rows written straight into MySQL,
 * as that instance's transaction would) must show within the refresh interval (posflow.latest.refresh, 1 s).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LatestFromOtherInstancesTest {

    @Test
    void aPositionCommittedByAnotherInstanceShowsWithinTheRefreshInterval() throws SQLException {
        execute("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values ('elsewhere', '2021-04-10 20:51:36.287301', 910, 454,"
                + " '2021-04-10 20:51:37.000001', 'other-instance', 0, 41)",
                "insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset)"
                        + " values ('elsewhere', '2021-04-10 20:51:36.287301', 'other-instance', 0, 41)");

        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> given()
                .queryParam("source", "elsewhere").get("/positions/latest").then()
                .statusCode(200)
                .body("x", is(910))
                .body("sampledAt", is("2021-04-10T20:51:36.287301Z"))
                .body("kafka.topic", is("other-instance")));
    }

    private static void execute(String... sql) throws SQLException {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
