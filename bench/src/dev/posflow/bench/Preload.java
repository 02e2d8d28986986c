package dev.posflow.bench;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the same N samples twice, into two single-partition topics, unless a topic already holds N records:
 * <ul>
 * <li>{@code jsonTopic}: the seed format kafka-python producers send, {@code {"id": "2021/04/10-20:51:36:287301",
 * "x": 910, "y": 454}}, as a plain string without key;</li>
 * <li>{@code peerTopic}: the same sample as a flat struct in JsonConverter's schema envelope for the Debezium JDBC
 * sink: source (string), sampled_at ({@code io.debezium.time.MicroTimestamp}: int64 microseconds since the epoch,
 * which the sink's MySQL dialect maps to DATETIME(6)), x and y (int32).</li>
 * </ul>
 * Sample i is sampled at 2021-04-10T00:00:00Z + i ms (distinct ids), x = i (distinct), y = i mod 1080.
 * <p>
 * Usage: Preload bootstrapServers n jsonTopic peerTopic
 */
public final class Preload {

    static final LocalDateTime BASE = LocalDateTime.of(2021, 4, 10, 0, 0);
    private static final DateTimeFormatter SEED_ID = DateTimeFormatter.ofPattern("yyyy/MM/dd-HH:mm:ss:SSSSSS");
    private static final long BASE_MICROS = BASE.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L;

    private static final String PEER_SCHEMA = "{\"type\":\"struct\",\"name\":\"posflow.bench.Position\",\"optional\":false,"
            + "\"fields\":["
            + "{\"field\":\"source\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"sampled_at\",\"type\":\"int64\",\"optional\":false,\"name\":\"io.debezium.time.MicroTimestamp\",\"version\":1},"
            + "{\"field\":\"x\",\"type\":\"int32\",\"optional\":false},"
            + "{\"field\":\"y\",\"type\":\"int32\",\"optional\":false}]}";

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int n = Integer.parseInt(args[1]);
        String jsonTopic = args[2];
        String peerTopic = args[3];

        Properties common = new Properties();
        common.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(common)) {
            for (String topic : List.of(jsonTopic, peerTopic)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            for (String topic : List.of(jsonTopic, peerTopic)) {
                long end = endOffset(admin, topic);
                if (end == n) {
                    System.out.printf("%s already holds %d records%n", topic, n);
                    continue;
                }
                if (end != 0) {
                    throw new IllegalStateException(topic + " holds " + end + " records, not 0 or " + n
                            + ": delete the bench Kafka data dir and run again");
                }
                long started = System.nanoTime();
                // peer records carry the source posflow derives for seed records (no source, no key): the topic name
                produce(bootstrap, topic, n, topic.equals(peerTopic), jsonTopic);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("%s: %d records in %.1f s (%.0f/s)%n", topic, n, seconds, n / seconds);
            }
        }
    }

    static String seedJson(int i) {
        String id = BASE.plus(i, ChronoUnit.MILLIS).format(SEED_ID);
        return "{\"id\": \"" + id + "\", \"x\": " + i + ", \"y\": " + (i % 1080) + "}";
    }

    static String peerJson(int i, String source) {
        long micros = BASE_MICROS + i * 1000L;
        return "{\"schema\":" + PEER_SCHEMA + ",\"payload\":{\"source\":\"" + source + "\",\"sampled_at\":" + micros
                + ",\"x\":" + i + ",\"y\":" + (i % 1080) + "}}";
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
        return admin.listOffsets(java.util.Map.of(partition, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                .partitionResult(partition).get().offset();
    }

    private static void produce(String bootstrap, String topic, int n, boolean peer, String source) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, null, peer ? peerJson(i, source) : seedJson(i)));
            }
            producer.flush();
        }
    }

    private Preload() {
    }
}
