package dev.posflow.ingest;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DeadLetterTest {

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonWhileGoodOnesLand() {
        Map<String, String> poisonAndReason = new LinkedHashMap<>();
        poisonAndReason.put("this is not json", "not JSON");
        poisonAndReason.put("{\"id\": \"2021/04/10-20:52:00:000001\", \"y\": 2}", "'x' is missing");
        poisonAndReason.put("{\"id\": \"2021/04/10-20:52:00:000002\", \"x\": \"910\", \"y\": 2}", "'x' must be an integer");
        poisonAndReason.put("{\"id\": \"2021/04/10-20:52:00:000003\", \"x\": 1.5, \"y\": 2}", "'x' must be an integer");
        poisonAndReason.put("{\"id\": \"2021-04-10 20:52:00\", \"x\": 1, \"y\": 2}", "is not a sampling time");
        poisonAndReason.put("{\"id\": \"2021/02/30-20:52:00:000004\", \"x\": 1, \"y\": 2}", "is not a valid date");
        poisonAndReason.put("{\"id\": \"2021/04/10-20:52:00:000005\", \"x\": 1, \"y\": 99999999999}", "'y' is out of range");
        poisonAndReason.put("[1, 2]", "must be a JSON object");
        poisonAndReason.put("{\"source\": \"<img src=x onerror=alert(1)>\", \"id\": \"2021/04/10-20:52:00:000006\", \"x\": 1, \"y\": 2}",
                "'source' must match [A-Za-z0-9._:@-]{1,64}");
        poisonAndReason.put("{\"source\": \"a\\u0000b\", \"id\": \"2021/04/10-20:52:00:000007\", \"x\": 1, \"y\": 2}",
                "'source' must match [A-Za-z0-9._:@-]{1,64}");
        String good1 = "{\"id\": \"2021/04/10-20:52:01:000001\", \"x\": 11, \"y\": 12}";
        String good2 = "{\"id\": \"2021/04/10-20:52:01:000002\", \"x\": 13, \"y\": 14}";

        List<String> values = new ArrayList<>();
        values.add(good1);
        values.addAll(poisonAndReason.keySet());
        values.add(good2);
        List<RecordMetadata> sent = TestKafka.send("JSON", values.toArray(String[]::new));

        // good records on both sides of the poison ones land: the stream did not stop
        assertEquals(11, SeedFormatIngestTest.awaitRow(sent.get(0)).get("x"));
        assertEquals(13, SeedFormatIngestTest.awaitRow(sent.get(sent.size() - 1)).get("x"));
        for (RecordMetadata poison : sent.subList(1, sent.size() - 1)) {
            assertEquals(0, Rows.forRecord(poison.topic(), poison.partition(), poison.offset()).size());
        }

        // no source field: the record key names the source, and must obey the same rule
        String keyedByHostileName = "{\"id\": \"2021/04/10-20:52:02:000001\", \"x\": 21, \"y\": 22}";
        RecordMetadata keyed = TestKafka.sendKeyed("JSON", "desk 7;<script>", keyedByHostileName).get(0);
        poisonAndReason.put(keyedByHostileName, "the record key that would name the source must match");
        String good3 = "{\"id\": \"2021/04/10-20:52:02:000002\", \"x\": 23, \"y\": 24}";
        assertEquals(23, SeedFormatIngestTest.awaitRow(TestKafka.send("JSON", good3).get(0)).get("x"));
        assertEquals(0, Rows.forRecord(keyed.topic(), keyed.partition(), keyed.offset()).size());

        // the topic also holds other tests' letters: read it to its end until all of these are there
        Map<String, ConsumerRecord<String, String>> deadByValue = await().atMost(Duration.ofSeconds(30))
                .until(() -> TestKafka.readToCurrentEnd("positions-dlq").stream()
                        .collect(Collectors.toMap(ConsumerRecord::value, r -> r, (a, b) -> a)),
                        letters -> letters.keySet().containsAll(poisonAndReason.keySet()));
        for (Map.Entry<String, String> poison : poisonAndReason.entrySet()) {
            ConsumerRecord<String, String> letter = deadByValue.get(poison.getKey());
            assertNotNull(letter, "dead letter for " + poison.getKey());
            assertThat(header(letter, "dead-letter-reason"), containsString(poison.getValue()));
            assertEquals("JSON", header(letter, "dead-letter-topic"));
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
