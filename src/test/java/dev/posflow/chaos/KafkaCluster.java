package dev.posflow.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import dev.posflow.devinfra.LocalPorts;

/**
 * Three Kafka nodes, each a combined broker and controller in a process of its own ({@link KafkaClusterNode}), on
 * fixed ports so that a node restarted after SIGKILL rejoins the same quorum. Three combined nodes rather than one
 * controller and three brokers: a quorum of three survives the loss of any one node, the controller included, and it
 * costs three JVMs on a shared CI machine instead of four.
 */
final class KafkaCluster implements AutoCloseable {

    static final int NODES = 3;

    private final String name;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Path root;
    private final int[] brokerPorts = new int[NODES + 1];
    private final int[] controllerPorts = new int[NODES + 1];
    private final Process[] processes = new Process[NODES + 1];
    private final int[] starts = new int[NODES + 1];
    private final String voters;

    KafkaCluster(String name) throws IOException {
        this.name = name;
        this.root = Files.createTempDirectory("posflow-kafka-cluster");
        List<String> voterList = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            brokerPorts[node] = LocalPorts.findFree();
            controllerPorts[node] = LocalPorts.findFree();
            voterList.add(node + "@localhost:" + controllerPorts[node]);
        }
        voters = String.join(",", voterList);
    }

    String bootstrapServers() {
        List<String> servers = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            servers.add("localhost:" + brokerPorts[node]);
        }
        return String.join(",", servers);
    }

    /** Starts every node, and returns once all three are registered brokers. */
    void start() throws Exception {
        for (int node = 1; node <= NODES; node++) {
            launch(node);
        }
        for (int node = 1; node <= NODES; node++) {
            awaitListening(node);
        }
        awaitBrokers(NODES);
    }

    /** Starts a node again on its ports and its (possibly emptied) directories. */
    void restart(int node) throws Exception {
        launch(node);
        awaitListening(node);
    }

    /** SIGKILL: the node's broker and controller vanish without a word to the quorum or the clients. */
    void kill9(int node) throws InterruptedException {
        processes[node].destroyForcibly().waitFor();
    }

    /** The disk taken away: the node's partition data (not its metadata log) deleted while it is down. */
    void deleteDataDir(int node) throws IOException {
        Processes.delete(dataDir(node));
    }

    /** The node that leads the partition now, or -1 while none is elected. */
    int leaderOf(String topic, int partition) throws Exception {
        TopicPartitionInfo info = describe(topic).partitions().get(partition);
        return info.leader() == null ? -1 : info.leader().id();
    }

    /** Waits until every partition of the topic has a leader other than {@code not} and {@code isr} replicas in sync. */
    void awaitLeadersAndIsr(String topic, int not, int isr, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> describe(topic).partitions().stream().allMatch(p -> p.leader() != null
                        && p.leader().id() != not && p.isr().size() >= isr));
    }

    /** The in-sync replicas of each partition, e.g. {0=[1, 2, 3]}, for the report. */
    String isr(String topic) throws Exception {
        return describe(topic).partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition,
                p -> p.isr().stream().map(n -> n.id()).sorted().toList())).toString();
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000"));
    }

    private TopicDescription describe(String topic) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        }
    }

    private void awaitBrokers(int count) {
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    try (Admin admin = admin()) {
                        return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == count;
                    }
                });
    }

    private void launch(int node) throws IOException {
        Files.createDirectories(Processes.LOGS);
        processes[node] = new ProcessBuilder(Processes.java(), "-Xmx384m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), KafkaClusterNode.class.getName(), String.valueOf(node),
                String.valueOf(brokerPorts[node]), String.valueOf(controllerPorts[node]), voters, clusterId,
                root.resolve("metadata-" + node).toString(), dataDir(node).toString())
                .redirectErrorStream(true)
                .redirectOutput(Processes.LOGS.resolve(name + "-node" + node + "-" + (++starts[node]) + ".log")
                        .toFile())
                .start();
    }

    private void awaitListening(int node) {
        Process process = processes[node];
        // generous: on a CI machine shared with other builds a Kafka JVM has been seen to take 3 minutes to listen
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || Processes.listening(brokerPorts[node]));
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka node " + node + " exited; see " + Processes.LOGS);
        }
    }

    private Path dataDir(int node) {
        return root.resolve("data-" + node);
    }

    @Override
    public void close() throws Exception {
        for (int node = 1; node <= NODES; node++) {
            if (processes[node] != null && processes[node].isAlive()) {
                processes[node].destroyForcibly().waitFor();
            }
        }
        Processes.delete(root);
    }
}
