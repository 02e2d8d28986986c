package dev.posflow.store.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.posflow.sample.Sample;
import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.posflow.store.schema.UtcMicrosConverter;

/**
 * The ingest writer writes a batch's rows as the text of multi-row INSERTs, split past a size, and falls back to a
 * prepared statement for text that a literal could not carry as it is: either way each row holds exactly its values.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IngestWriterTest {

    private static final Instant T0 = Instant.parse("2021-04-10T20:51:36.287301Z");

    @Inject
    IngestWriter writer;

    private static IncomingPosition position(String source, String topic, long offset) {
        return new IncomingPosition(
                new Sample(Optional.of(source), T0.plusNanos(offset * 1000), (int) -offset, Integer.MAX_VALUE),
                new KafkaCoordinates(topic, 3, offset, 2));
    }

    private static List<IncomingPosition> batch(String source, String topic, long from, long to) {
        List<IncomingPosition> positions = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            positions.add(position(source, topic, offset));
        }
        return positions;
    }

    private void write(List<IncomingPosition> positions) throws Exception {
        String topic = positions.get(0).record().topic();
        writer.write(positions, Map.of(new Partition(topic, 3, 2), positions.get(positions.size() - 1).record()
                .offset() + 1));
    }

    private static void assertRow(String topic, long offset, String source) {
        List<Map<String, Object>> rows = Rows.query("select source, cast(sampled_at as char) as sampled_at, x, y,"
                + " kafka_partition, kafka_incarnation from positions where kafka_topic = ? and kafka_offset = ?",
                topic, offset);
        assertEquals(1, rows.size(), topic + "@" + offset);
        Map<String, Object> row = rows.get(0);
        assertEquals(source, row.get("source"));
        assertEquals(new UtcMicrosConverter().convertToDatabaseColumn(T0.plusNanos(offset * 1000)),
                row.get("sampled_at"));
        assertEquals((int) -offset, ((Number) row.get("x")).intValue());
        assertEquals(Integer.MAX_VALUE, ((Number) row.get("y")).intValue());
        assertEquals(3, ((Number) row.get("kafka_partition")).intValue());
        assertEquals(2, ((Number) row.get("kafka_incarnation")).intValue());
    }

    @Test
    void rowsHoldExactlyTheirValuesWrittenAsText() throws Exception {
        write(batch("a.b:c@d_e-F9", "writer-text", 0, 3));
        for (long offset = 0; offset < 3; offset++) {
            assertRow("writer-text", offset, "a.b:c@d_e-F9");
        }
    }

    @Test
    void textThatALiteralCouldNotCarryAsItIsTakesThePreparedStatement() throws Exception {
        String hostile = "o'b\\\"r;--\u00e9";
        write(List.of(position("plain", "writer-quoted", 0), position(hostile, "writer-quoted", 1)));
        assertRow("writer-quoted", 0, "plain");
        assertRow("writer-quoted", 1, hostile);
    }

    @Test
    void aBatchLongerThanOneStatementIsStoredOnceEvenWhenItsSecondStatementMeetsStoredRecords() throws Exception {
        String topic = "writer-split";
        // rows of some 100 characters: 12,000 of them take two statements; the second meets these stored ones
        write(batch("split", topic, 11_000, 12_000));
        write(batch("split", topic, 0, 12_000));

        assertEquals(12_000, Rows.count("select count(*) from positions where kafka_topic = ?", topic));
        assertEquals(12_000, Rows.count("select count(distinct kafka_offset) from positions where kafka_topic = ?",
                topic));
        assertEquals(12_000, Rows.count("select row_count from latest_positions where source = ?", "split"));
        assertRow(topic, 0, "split");
        assertRow(topic, 11_999, "split");
    }
}
