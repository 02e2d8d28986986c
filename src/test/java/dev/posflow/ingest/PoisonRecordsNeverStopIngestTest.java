package dev.posflow.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.posflow.testing.KafkaBrokerResource;
import dev.posflow.testing.Rows;
import dev.posflow.testing.TestKafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 16, defect 1: a record whose dead letter would not fit, or whose reason would echo a huge field, once stopped
 * all ingest. Each is dead-lettered now (whole, or truncated and saying so), and the record after it is stored.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class PoisonRecordsNeverStopIngestTest {

    /** A good record behind a poison one is stored this soon: the poison one did not hold ingest up. */
    private static final Duration NEXT_RECORD_STORED_WITHIN = Duration.ofSeconds(20);

    @Test
    void invalidUtf8ValueOf400000BytesIsDeadLetteredWithItsOriginalBytesAndTheNextRecordIsStored() {
        byte[] poison = new byte[400_000];
        Arrays.fill(poison, (byte) 0x80);

        RecordMetadata bad = send("JSON", "key-0x80", poison);
        RecordMetadata good = send("JSON", null, good(1));

        awaitStored(good);
        ConsumerRecord<String, byte[]> letter = letterFor(bad);
        assertArrayEquals(poison, letter.value(), "the original bytes, not a UTF-8 re-encoding of them");
        assertEquals("key-0x80", letter.key());
        assertNull(letter.headers().lastHeader("dead-letter-truncated"));
        assertEquals("400000", header(letter, "dead-letter-value-size"));
        assertEquals(FittedLetter.sha256(poison), header(letter, "dead-letter-value-sha256"));
        assertThat(header(letter, "dead-letter-reason"), containsString("not JSON"));
        assertEquals(0, Rows.forRecord(bad.topic(), bad.partition(), bad.offset()).size());
    }

    @Test
    void idOf600000CharactersIsDeadLetteredWithABoundedReasonAndTheNextRecordIsStored() {
        byte[] poison = ("{\"id\": \"" + "A".repeat(600_000) + "\", \"x\": 1, \"y\": 2}")
                .getBytes(StandardCharsets.UTF_8);

        RecordMetadata bad = send("JSON", null, poison);
        RecordMetadata good = send("JSON", null, good(2));

        awaitStored(good);
        ConsumerRecord<String, byte[]> letter = letterFor(bad);
        assertArrayEquals(poison, letter.value());
        String reason = header(letter, "dead-letter-reason");
        assertThat(reason, containsString("is not a sampling time"));
        assertThat(reason, containsString("600000 characters"));
        assertThat(reason.length(), lessThanOrEqualTo(DeadLetter.MAX_REASON_CHARS + 30));
    }

    @Test
    void valueBeyondTheDeadLetterLimitIsDeadLetteredTruncatedWithItsSizeAndDigestAndTheNextRecordIsStored() {
        // under the broker's 1 MB limit, over posflow.ingest.dead-letter-max-bytes (1,000,000)
        byte[] poison = new byte[1_040_000];
        Arrays.fill(poison, (byte) 'x');

        RecordMetadata bad = send("JSON", "big", poison);
        RecordMetadata good = send("JSON", null, good(3));

        awaitStored(good);
        ConsumerRecord<String, byte[]> letter = letterFor(bad);
        assertEquals("true", header(letter, "dead-letter-truncated"));
        assertEquals("1040000", header(letter, "dead-letter-value-size"));
        assertEquals(FittedLetter.sha256(poison), header(letter, "dead-letter-value-sha256"));
        assertEquals("JSON", header(letter, "dead-letter-topic"));
        assertEquals(String.valueOf(bad.partition()), header(letter, "dead-letter-partition"));
        assertEquals(String.valueOf(bad.offset()), header(letter, "dead-letter-offset"));
        assertEquals("big", letter.key());
        assertThat(letter.value().length, lessThan(1_000_000));
        assertThat(letter.value().length, greaterThan(900_000));
        assertArrayEquals(Arrays.copyOf(poison, letter.value().length), letter.value(), "a prefix of the value");
    }

    @Test
    void sampleFromBeyondMaxFutureIsDeadLetteredWhileOneWithinItIsStored() {
        Instant now = Instant.now();
        byte[] tooLate = sample("future-kafka", now.plus(Duration.ofHours(1)));
        byte[] skewed = sample("future-kafka", now.plus(Duration.ofMinutes(1)));

        RecordMetadata bad = send("JSON", null, tooLate);
        RecordMetadata good = send("JSON", null, skewed);

        awaitStored(good);
        ConsumerRecord<String, byte[]> letter = letterFor(bad);
        assertArrayEquals(tooLate, letter.value());
        assertThat(header(letter, "dead-letter-reason"), containsString("posflow.sample.max-future"));
        assertEquals(0, Rows.forRecord(bad.topic(), bad.partition(), bad.offset()).size());
    }

    static byte[] sample(String source, Instant sampledAt) {
        return ("{\"source\": \"" + source + "\", \"sampledAt\": \"" + sampledAt + "\", \"x\": 1, \"y\": 2}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] good(int n) {
        return ("{\"id\": \"2021/04/10-20:53:00:00000" + n + "\", \"x\": " + n + ", \"y\": 2}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static void awaitStored(RecordMetadata sent) {
        long deadline = System.nanoTime() + NEXT_RECORD_STORED_WITHIN.toNanos();
        while (Rows.forRecord(sent.topic(), sent.partition(), sent.offset()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the record at " + sent + " was not stored within "
                        + NEXT_RECORD_STORED_WITHIN);
            }
            sleep(100);
        }
    }

    static RecordMetadata send(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576),
                new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** The dead letter of the record at {@code sent}, read as bytes. */
    static ConsumerRecord<String, byte[]> letterFor(RecordMetadata sent) {
        return letterFor(sent, "positions-dlq");
    }

    static ConsumerRecord<String, byte[]> letterFor(RecordMetadata sent, String deadLetterTopic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 8 << 20,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(deadLetterTopic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (sent.topic().equals(header(record, "dead-letter-topic"))
                            && String.valueOf(sent.partition()).equals(header(record, "dead-letter-partition"))
                            && String.valueOf(sent.offset()).equals(header(record, "dead-letter-offset"))) {
                        return record;
                    }
                }
            }
            throw new AssertionError("no dead letter for " + sent);
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
