package dev.posflow.retention;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.sample.MicrosInstant;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.ManagementPort;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestDatabase;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The retention purge on the real database: old rows go, new stay, /sources stays right, one purger at a time. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Inject
    DataSource dataSource;

    @Test
    void oldRowsArePurgedNewOnesKeptAndSourcesCountedAgainButNotWhileAnotherInstanceHoldsTheLock()
            throws Exception {
        String source = "retention-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant old = now.minus(Duration.ofDays(40));
        String[] values = new String[10];
        for (int i = 0; i < 10; i++) {
            // 6 samples 40 days old, 4 of the last minutes
            Instant at = i < 6 ? old.plusSeconds(i) : now.minusSeconds(60 - i);
            values[i] = "{\"source\": \"" + source + "\", \"sampledAt\": \"" + at + "\", \"x\": " + i + ", \"y\": 0}";
        }
        TestKafka.send("JSON", values);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.count("select count(*) from positions where source = ?", source) == 10);

        // another instance purging: it holds the lock on its own session; the skip is counted
        double skippedBefore = skippedPurges();
        try (Connection other = dataSource.getConnection()) {
            assertEquals(1, scalar(other, "select get_lock(" + RetentionPurge.LOCK + ", 0)"));
            assertEquals(OptionalLong.empty(), purge.purgeOlderThan(Duration.ofDays(30)));
            assertEquals(10, Rows.count("select count(*) from positions where source = ?", source),
                    "nothing purged while another instance holds the lock");
            scalar(other, "select release_lock(" + RetentionPurge.LOCK + ")");
        }
        assertEquals(skippedBefore + 1, skippedPurges(), "the skipped purge is counted");

        // whoever holds the server-wide name of before, or the lock of another database, does not block this one's
        try (Connection stranger = TestDatabase.connect("")) {
            assertEquals(1, scalar(stranger, "select get_lock('posflow-retention', 0)"));
            assertEquals(1, scalar(stranger, "select get_lock('posflow-retention:some_other_database', 0)"));

            OptionalLong purged = purge.purgeOlderThan(Duration.ofDays(30));
            assertTrue(purged.isPresent() && purged.getAsLong() >= 6, "purged " + purged);
        }
        assertEquals(0, Rows.count("select count(*) from positions where source = ? and x < 6", source));
        assertEquals(4, Rows.count("select count(*) from positions where source = ? and x >= 6", source));
        String mine = "items.find { it.source == '" + source + "' }";
        given().queryParam("sources", source).get("/sources").then().statusCode(200).body(mine + ".count", is(4))
                .body(mine + ".first", is(MicrosInstant.format(now.minusSeconds(54))))
                .body(mine + ".last", is(MicrosInstant.format(now.minusSeconds(51))));
        assertEquals(0, Rows.count("select count(*) from positions where sampled_at < utc_timestamp(6)"
                + " - interval 30 day"), "no row older than the maximum age is left, of any source");
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(1, scalar(connection, "select is_free_lock(" + RetentionPurge.LOCK + ")"),
                    "the purge released its lock");
        }
    }

    /** posflow_retention_skipped_total, as the management port's /q/metrics shows it. */
    private static double skippedPurges() {
        String text = given().port(ManagementPort.port()).get("/q/metrics").then().statusCode(200).extract()
                .asString();
        return text.lines().filter(line -> line.startsWith("posflow_retention_skipped_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static long scalar(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
