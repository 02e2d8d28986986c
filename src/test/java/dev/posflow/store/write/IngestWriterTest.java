package dev.posflow.store.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The upsert of latest_positions takes the same two paths, and either way keeps a source's latest position, count and
 * first sampling time the same.
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

    private static IncomingPosition sampledAt(String source, String topic, long offset, long micros) {
        return new IncomingPosition(new Sample(Optional.of(source), T0.plusNanos(micros * 1000), 1, 2),
                new KafkaCoordinates(topic, 3, offset, 2));
    }

    private static Map<String, Object> latest(String source) {
        List<Map<String, Object>> rows = Rows.query("select kafka_offset, cast(sampled_at as char) as sampled_at,"
                + " row_count, cast(first_sampled_at as char) as first_sampled_at, kafka_partition, kafka_incarnation"
                + " from latest_positions where source = ?", source);
        assertEquals(1, rows.size(), source);
        return rows.get(0);
    }

    @Test
    void theLatestRowOfASourceIsTheSameWhetherItsUpsertWasWrittenAsTextOrPrepared() throws Exception {
        String hostile = "o'b\\\"r;--\u00e9-latest";
        // text: both batches' names are plain
        write(List.of(sampledAt("latest-text", "writer-latest", 0, 50)));
        write(List.of(sampledAt("latest-text", "writer-latest", 1, 30)));
        // prepared: a name in each batch that a literal could not carry takes the whole batch there
        write(List.of(sampledAt("latest-prepared", "writer-latest", 2, 50),
                sampledAt(hostile, "writer-latest", 3, 10)));
        write(List.of(sampledAt("latest-prepared", "writer-latest", 4, 30),
                sampledAt(hostile, "writer-latest", 5, 20)));

        Map<String, Object> text = latest("latest-text");
        Map<String, Object> prepared = latest("latest-prepared");
        // the older sample of the second batch counts and moves the first sampling time, not the latest position
        assertEquals(0L, ((Number) text.get("kafka_offset")).longValue());
        assertEquals(2L, ((Number) prepared.get("kafka_offset")).longValue());
        assertEquals(2L, ((Number) text.get("row_count")).longValue());
        Map<String, Object> textApartFromOffset = new HashMap<>(text);
        Map<String, Object> preparedApartFromOffset = new HashMap<>(prepared);
        textApartFromOffset.remove("kafka_offset");
        preparedApartFromOffset.remove("kafka_offset");
        assertEquals(preparedApartFromOffset, textApartFromOffset);
        assertEquals(new UtcMicrosConverter().convertToDatabaseColumn(T0.plusNanos(30_000)),
                text.get("first_sampled_at"));
        assertEquals(new UtcMicrosConverter().convertToDatabaseColumn(T0.plusNanos(50_000)), text.get("sampled_at"));
        assertEquals(5L, ((Number) latest(hostile).get("kafka_offset")).longValue());
    }

    @Test
    void withinOneBatchASourcesLatestRowIsItsLatestSampleTheHigherOffsetOnATieAndItCountsEveryRow() throws Exception {
        String topic = "writer-in-batch";
        // out of time order, interleaved with another source, the latest time twice (offsets 3 and 5)
        write(List.of(sampledAt("in-batch", topic, 0, 40), sampledAt("in-batch", topic, 1, 10),
                sampledAt("in-batch-other", topic, 2, 99), sampledAt("in-batch", topic, 3, 70),
                sampledAt("in-batch", topic, 4, 20), sampledAt("in-batch", topic, 5, 70),
                sampledAt("in-batch", topic, 6, 5), sampledAt("in-batch-other", topic, 7, 1)));

        Map<String, Object> latest = latest("in-batch");
        assertEquals(5L, ((Number) latest.get("kafka_offset")).longValue());
        assertEquals(6L, ((Number) latest.get("row_count")).longValue());
        assertEquals(new UtcMicrosConverter().convertToDatabaseColumn(T0.plusNanos(70_000)), latest.get("sampled_at"));
        assertEquals(new UtcMicrosConverter().convertToDatabaseColumn(T0.plusNanos(5_000)),
                latest.get("first_sampled_at"));
        Map<String, Object> other = latest("in-batch-other");
        assertEquals(2L, ((Number) other.get("kafka_offset")).longValue());
        assertEquals(2L, ((Number) other.get("row_count")).longValue());
        assertEquals(new UtcMicrosConverter().convertToDatabaseColumn(T0.plusNanos(1_000)),
                other.get("first_sampled_at"));
    }

    @Test
    void aBatchOfMoreSourcesThanOneUpsertStatementHoldsKeepsEverySourcesLatestRow() throws Exception {
        String topic = "writer-many-sources";
        // some 130 characters a source: 10,000 sources take two upsert statements
        List<IncomingPosition> positions = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            positions.add(sampledAt("many-%05d".formatted(i), topic, i, i));
        }
        write(positions);

        assertEquals(10_000, Rows.count("select count(*) from latest_positions where source like 'many-%'"));
        assertEquals(10_000, Rows.count("select sum(row_count) from latest_positions where source like 'many-%'"));
        assertEquals(9_999L, ((Number) latest("many-09999").get("kafka_offset")).longValue());
    }
}
