package dev.posflow.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * GET /positions/{id} reads on the reads pool, as every REST read does: with every connection of the default pool
 * (ingest's) held, it still answers at once. Through the Panache entity it read on the default pool, and waited out
 * the acquisition timeout there, then failed.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PositionByIdOnReadsPoolTest {

    @Inject
    AgroalDataSource ingestPool;

    @Test
    void aPositionIsAnsweredWhileEveryConnectionOfIngestsPoolIsHeld() throws Exception {
        String source = "by-id-" + UUID.randomUUID().toString().substring(0, 8);
        Rows.update("insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition,"
                + " kafka_offset) values (?, '2024-01-01 00:00:00.000001', 7, 8, '2024-01-01 00:00:01.000000',"
                + " 'by-id', 0, 1)", source);
        long id = Rows.count("select id from positions where source = ?", source);

        List<Connection> held = new ArrayList<>();
        try {
            int size = ingestPool.getConfiguration().connectionPoolConfiguration().maxSize();
            for (int i = 0; i < size; i++) {
                held.add(ingestPool.getConnection());
            }
            given().get("/positions/" + id).then().statusCode(200).body("source", is(source)).body("x", is(7));
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }
}
