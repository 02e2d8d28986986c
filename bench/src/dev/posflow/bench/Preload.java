package dev.posflow.bench;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the same N samples into each topic given, unless the topic already holds N records:
 * <ul>
 * <li>{@code jsonTopic}: the seed format kafka-python producers send, {@code {"id": "2021/04/10-20:51:36:287301",
 * "x": 910, "y": 454}}, as a plain string;</li>
 * <li>{@code peerTopic} (optional): the same sample as a flat struct in JsonConverter's schema envelope for the
 * Debezium JDBC sink: source (string), sampled_at ({@code io.debezium.time.MicroTimestamp}: int64 microseconds since
 * the epoch, which the sink's MySQL dialect maps to DATETIME(6)), x and y (int32).</li>
 * </ul>
 * Sample i is sampled at 2021-04-10T00:00:00Z + i ms (distinct ids), x = i (distinct), y = i mod 1080. With S &gt; 0
 * sources, sample i has the record key {@link #source(int, int) src-&lt;i mod S, 6 digits&gt;}, which posflow takes
 * as its source (the seed value has no source field): each source's samples are in time order and sources take turns,
 * so every batch holds up to S sources. With S = 0 records have no key and posflow's source is the topic's name.
 * The peer's records carry the same source in their value.
 * <p>
 * With {@code --format=live} the json topic gets what a field device publishes now instead:
 * {@code {"source": "live", "sampledAt": "2026-11-29T12:00:00.000001Z", "x": 1, "y": 1}}, sample i sampled at the
 * preload's start + i µs (so that a retention purge leaves it alone), x = i mod 1920, y = i mod 1080; the source is
 * "live" (or the key's name with S &gt; 0).
 * <p>
 * Usage: Preload bootstrapServers n sources jsonTopic [peerTopic] [--partitions=P] [--format=seed|live] (P default 1;
 * records of one key go to one partition, the producer's default partitioner).
 */
public final class Preload {

    static final LocalDateTime BASE = LocalDateTime.of(2021, 4, 10, 0, 0);
    private static final DateTimeFormatter SEED_ID = DateTimeFormatter.ofPattern("yyyy/MM/dd-HH:mm:ss:SSSSSS");
    private static final DateTimeFormatter LIVE_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    private static final long BASE_MICROS = BASE.toEpochSecond(ZoneOffset.UTC) * 1_000_000L;

    private static final String PEER_SCHEMA = "{\"type\":\"struct\",\"name\":\"posflow.bench.Position\",\"optional\":false,"
            + "\"fields\":["
            + "{\"field\":\"source\",\"type\":\"string\",\"optional\":false},"
            + "{\"field\":\"sampled_at\",\"type\":\"int64\",\"optional\":false,\"name\":\"io.debezium.time.MicroTimestamp\",\"version\":1},"
            + "{\"field\":\"x\",\"type\":\"int32\",\"optional\":false},"
            + "{\"field\":\"y\",\"type\":\"int32\",\"optional\":false}]}";

    public static void main(String[] args) throws Exception {
        int partitions = 1;
        boolean live = false;
        List<String> positional = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--partitions=")) {
                partitions = Integer.parseInt(arg.substring("--partitions=".length()));
            } else if (arg.startsWith("--format=")) {
                live = arg.equals("--format=live");
            } else {
                positional.add(arg);
            }
        }
        String bootstrap = positional.get(0);
        int n = Integer.parseInt(positional.get(1));
        int sources = Integer.parseInt(positional.get(2));
        String jsonTopic = positional.get(3);
        String peerTopic = positional.size() > 4 ? positional.get(4) : null;

        Properties common = new Properties();
        common.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(common)) {
            for (String topic : peerTopic == null ? List.of(jsonTopic) : List.of(jsonTopic, peerTopic)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                long end = records(admin, topic);
                if (end == n) {
                    System.out.printf("%s already holds %d records%n", topic, n);
                    continue;
                }
                if (end != 0) {
                    throw new IllegalStateException(topic + " holds " + end + " records, not 0 or " + n
                            + ": delete the bench Kafka data dir and run again");
                }
                long started = System.nanoTime();
                produce(bootstrap, topic, n, sources, topic.equals(peerTopic), live, jsonTopic);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("%s: %d records over %s in %d partition(s) in %.1f s (%.0f/s)%n", topic, n,
                        sources > 0 ? sources + " sources" : "1 source (no key)", partitions, seconds, n / seconds);
            }
        }
    }

    /** The source of sample i: its record key, or (no sources) the topic's name, as posflow derives it. */
    static String source(int i, int sources, String topic) {
        return sources > 0 ? String.format("src-%06d", i % sources) : topic;
    }

    static String seedJson(int i) {
        String id = BASE.plus(i, ChronoUnit.MILLIS).format(SEED_ID);
        return "{\"id\": \"" + id + "\", \"x\": " + i + ", \"y\": " + (i % 1080) + "}";
    }

    static String liveJson(int i, String source, LocalDateTime start) {
        return "{\"source\": \"" + source + "\", \"sampledAt\": \"" + start.plus(i, ChronoUnit.MICROS).format(LIVE_AT)
                + "\", \"x\": " + (i % 1920) + ", \"y\": " + (i % 1080) + "}";
    }

    static String peerJson(int i, String source) {
        long micros = BASE_MICROS + i * 1000L;
        return "{\"schema\":" + PEER_SCHEMA + ",\"payload\":{\"source\":\"" + source + "\",\"sampled_at\":" + micros
                + ",\"x\":" + i + ",\"y\":" + (i % 1080) + "}}";
    }

    /** Records in the topic: the sum of its partitions' end offsets (nothing is ever deleted from these topics). */
    private static long records(Admin admin, String topic) throws Exception {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long total = 0;
        for (var offset : admin.listOffsets(latest).all().get().values()) {
            total += offset.offset();
        }
        return total;
    }

    /** A producer of string records tuned for bulk loading: large batches, acknowledged by the broker. */
    static Properties producerProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        return props;
    }

    private static void produce(String bootstrap, String topic, int n, int sources, boolean peer, boolean live,
            String jsonTopic) throws Exception {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Properties props = producerProperties(bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < n; i++) {
                String key = sources > 0 ? source(i, sources, jsonTopic) : null;
                // peer records carry the source posflow derives for the seed record
                String value = peer ? peerJson(i, source(i, sources, jsonTopic))
                        : live ? liveJson(i, source(i, sources, "live"), now) : seedJson(i);
                producer.send(new ProducerRecord<>(topic, key, value));
            }
            producer.flush();
        }
    }

    private Preload() {
    }
}
