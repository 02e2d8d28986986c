package dev.posflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka side of the scaling phase (bench/phases/scaling.sh): a topic of several partitions, a consumer group that
 * must hold every partition before records arrive, and N seed records keyed by source, so that the instances under
 * test all ingest from a full backlog instead of one of them reading while the others still start.
 * <ul>
 * <li>{@code create bootstrap topic partitions}: deletes the topic if it exists, creates it empty.</li>
 * <li>{@code group bootstrap group topic members timeoutS}: waits until the group is stable with that many members
 * and every partition of the topic assigned; prints {@code GROUP ms=... members=k assignment=instance:p,p;...}
 * (members named by their group.instance.id).</li>
 * <li>{@code produce bootstrap topic n sources}: sample i ({@link Preload#seedJson}) keyed {@code src-<i mod S>}, the
 * default partitioner spreading the keys; prints {@code PRODUCED start_ms=... done_ms=... ends=p:end,...}.</li>
 * <li>{@code delete bootstrap topic}.</li>
 * </ul>
 */
public final class ScaleKafka {

    public static void main(String[] args) throws Exception {
        Properties common = new Properties();
        common.put("bootstrap.servers", args[1]);
        try (Admin admin = Admin.create(common)) {
            switch (args[0]) {
                case "create" -> create(admin, args[2], Integer.parseInt(args[3]));
                case "group" -> group(admin, args[2], args[3], Integer.parseInt(args[4]), Long.parseLong(args[5]));
                case "produce" -> produce(admin, args[1], args[2], Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]));
                case "delete" -> delete(admin, args[2]);
                default -> throw new IllegalArgumentException("create | group | produce | delete, not " + args[0]);
            }
        }
    }

    private static void create(Admin admin, String topic, int partitions) throws Exception {
        delete(admin, topic);
        // a deleted topic's name stays taken until the controller has removed it
        for (int attempt = 0;; attempt++) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                break;
            } catch (ExecutionException e) {
                if (attempt >= 100) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        System.out.printf("CREATED %s partitions=%d%n", topic, partitions);
    }

    private static void delete(Admin admin, String topic) throws Exception {
        try {
            admin.deleteTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }

    private static void group(Admin admin, String group, String topic, int members, long timeoutS) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutS * 1000;
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        String seen = "";
        while (System.currentTimeMillis() < deadline) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            Map<String, List<Integer>> assignment = new TreeMap<>();
            int assigned = 0;
            for (MemberDescription member : description.members()) {
                List<Integer> owned = new ArrayList<>();
                for (TopicPartition partition : member.assignment().topicPartitions()) {
                    if (partition.topic().equals(topic)) {
                        owned.add(partition.partition());
                    }
                }
                owned.sort(null);
                assigned += owned.size();
                assignment.put(member.groupInstanceId().orElse(member.consumerId()), owned);
            }
            seen = description.groupState() + " members=" + description.members().size() + " assigned=" + assigned;
            if (description.groupState() == GroupState.STABLE && description.members().size() == members
                    && assigned == partitions) {
                System.out.printf("GROUP ms=%d members=%d assignment=%s%n", System.currentTimeMillis(), members,
                        assignment.entrySet().stream()
                                .map(e -> e.getKey() + ":" + e.getValue().stream().map(String::valueOf)
                                        .collect(Collectors.joining(",")))
                                .collect(Collectors.joining(";")));
                return;
            }
            Thread.sleep(200);
        }
        System.out.printf("GROUP timeout %s%n", seen);
        System.exit(2);
    }

    private static void produce(Admin admin, String bootstrap, String topic, int n, int sources) throws Exception {
        Properties props = Preload.producerProperties(bootstrap);
        long start = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, String.format("src-%06d", i % sources), Preload.seedJson(i)));
            }
            producer.flush();
        }
        long done = System.currentTimeMillis();
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> latest = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        description.partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        long total = 0;
        StringBuilder line = new StringBuilder();
        for (TopicPartition partition : latest.keySet()) {
            long end = ends.get(partition).offset();
            total += end;
            line.append(line.isEmpty() ? "" : ",").append(partition.partition()).append(':').append(end);
        }
        if (total != n) {
            throw new IllegalStateException(topic + " holds " + total + " records, not " + n);
        }
        System.out.printf("PRODUCED start_ms=%d done_ms=%d records=%d ends=%s%n", start, done, total, line);
    }

    private ScaleKafka() {
    }
}
