package dev.posflow.chaos;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * One node (broker and controller) of a three-node KRaft cluster, in a process of its own so that a test can SIGKILL
 * it: {@code KafkaClusterNode NODE_ID BROKER_PORT CONTROLLER_PORT VOTERS CLUSTER_ID METADATA_DIR DATA_DIR}.
 * <p>
 * The metadata log (the controller's quorum state) and the partition data live in separate directories, as on a host
 * whose data disk can fail alone: deleting DATA_DIR takes the broker's replicas away while the node keeps its vote.
 */
public final class KafkaClusterNode {

    private KafkaClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        int nodeId = Integer.parseInt(args[0]);
        Path metadataDir = Path.of(args[5]);
        Path dataDir = Path.of(args[6]);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", args[0]);
        props.put("controller.quorum.voters", args[3]);
        props.put("listeners", "PLAINTEXT://localhost:" + args[1] + ",CONTROLLER://localhost:" + args[2]);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + args[1]);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("metadata.log.dir", metadataDir.toAbsolutePath().toString());
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        // production's durability settings: every topic, internal ones included, on three replicas, two in sync
        props.put("default.replication.factor", "3");
        props.put("min.insync.replicas", "2");
        props.put("offsets.topic.replication.factor", "3");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "3");
        props.put("transaction.state.log.min.isr", "2");
        props.put("transaction.state.log.num.partitions", "3");
        props.put("share.coordinator.state.topic.replication.factor", "3");
        props.put("share.coordinator.state.topic.min.isr", "2");
        props.put("unclean.leader.election.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("num.replica.fetchers", "1");
        KafkaConfig config = KafkaConfig.fromProps(props);
        if (!Files.exists(metadataDir.resolve("meta.properties"))) {
            Files.createDirectories(dataDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(args[4])
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(metadataDir.toAbsolutePath().toString())
                    .addDirectory(metadataDir.toAbsolutePath().toString())
                    .addDirectory(dataDir.toAbsolutePath().toString())
                    .run();
        } else if (!Files.exists(dataDir.resolve("meta.properties"))) {
            // the data disk was replaced: the new one gets the node's identity under a directory id of its own, as
            // `kafka-storage format --ignore-formatted` would write it, and the node fetches its partitions again
            Properties meta = new Properties();
            try (var in = Files.newInputStream(metadataDir.resolve("meta.properties"))) {
                meta.load(in);
            }
            meta.setProperty("directory.id", Uuid.randomUuid().toString());
            Files.createDirectories(dataDir);
            try (var out = Files.newOutputStream(dataDir.resolve("meta.properties"))) {
                meta.store(out, "a replaced data directory");
            }
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }));
        System.out.println("READY node " + nodeId + " on localhost:" + args[1]);
        Thread.currentThread().join();
    }
}
