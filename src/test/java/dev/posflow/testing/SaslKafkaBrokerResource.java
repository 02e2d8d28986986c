package dev.posflow.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real in-JVM Kafka broker whose only client listener is SASL_PLAINTEXT with the PLAIN mechanism (users
 * {@link #USER}/{@link #PASSWORD} and an admin for the broker itself), and an app configured through the
 * {@code kafka.} keys that every channel inherits: what an operator sets with KAFKA_SECURITY_PROTOCOL,
 * KAFKA_SASL_MECHANISM and KAFKA_SASL_JAAS_CONFIG.
 */
public class SaslKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "posflow";
    public static final String PASSWORD = "posflow-secret";
    private static final int NODE_ID = 1;

    private static volatile String bootstrapServers;

    private KafkaRaftServer server;
    private Path dataDir;

    public static String bootstrapServers() {
        return bootstrapServers;
    }

    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Client settings of a SASL/PLAIN user, for test producers and consumers. */
    public static Map<String, Object> clientConfig(String user, String password) {
        return Map.of("bootstrap.servers", bootstrapServers, "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", jaasConfig(user, password));
    }

    /** JUL keeps loggers weakly; held here so that the broker's own logging stays at WARNING. */
    private static final java.util.List<java.util.logging.Logger> QUIETED = java.util.stream.Stream.of("kafka",
            "state.change.logger", "org.apache.kafka").map(java.util.logging.Logger::getLogger).toList();

    @Override
    public Map<String, String> start() {
        QUIETED.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
        int port = freePort();
        int controllerPort = freePort();
        try {
            dataDir = Files.createTempDirectory("posflow-test-kafka-sasl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", "SASL_PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "SASL_PLAINTEXT://localhost:" + port);
        props.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                        + "password=\"admin-secret\" user_admin=\"admin-secret\" user_" + USER + "=\"" + PASSWORD + "\";");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "true");
        KafkaConfig config = KafkaConfig.fromProps(props);
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(dataDir.toAbsolutePath().toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + dataDir, e);
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        bootstrapServers = "localhost:" + port;
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", jaasConfig(USER, PASSWORD));
    }

    @Override
    public void stop() {
        bootstrapServers = null;
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
