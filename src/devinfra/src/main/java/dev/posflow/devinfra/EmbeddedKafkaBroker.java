package dev.posflow.devinfra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Apache Kafka (KRaft, combined broker + controller) running inside the current JVM, for dev mode
 * and tests on machines without Docker or a Kafka installation.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;

    /** Server-side categories; client categories (org.apache.kafka.clients) stay untouched for the application. */
    private static final List<String> NOISY_LOG_CATEGORIES = List.of("kafka", "state.change.logger",
            "org.apache.kafka.raft", "org.apache.kafka.controller", "org.apache.kafka.metadata",
            "org.apache.kafka.image", "org.apache.kafka.server", "org.apache.kafka.storage",
            "org.apache.kafka.coordinator", "org.apache.kafka.queue", "org.apache.kafka.snapshot",
            "org.apache.kafka.network", "org.apache.kafka.security", "org.apache.kafka.common.network",
            "org.apache.kafka.common.security", "org.apache.kafka.common.utils.AppInfoParser",
            "org.apache.kafka.common.config.AbstractConfig", "org.apache.kafka.common.metrics",
            "org.apache.kafka.common.telemetry");

    /** JUL only keeps weak references to loggers; holding them keeps the level settings alive. */
    private static final List<java.util.logging.Logger> QUIETED_LOGGERS = NOISY_LOG_CATEGORIES.stream()
            .map(java.util.logging.Logger::getLogger)
            .toList();

    /**
     * Warns "the metadata log appears to be empty" on the first start of every fresh data dir, which is how a dev or
     * test broker always starts; nothing for a user to act on.
     */
    private static final java.util.logging.Logger QUORUM_CONTROLLER_LOGGER = java.util.logging.Logger
            .getLogger("org.apache.kafka.controller.QuorumController");

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts a broker listening on localhost:port (0 picks a free port) that keeps its logs in dataDir. An already
     * formatted dataDir is reused, so topics and records survive a restart.
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, "PLAINTEXT", Map.of());
    }

    /**
     * Starts a broker as {@link #start(int, Path)} does, whose client listener (also the inter-broker one) speaks
     * {@code securityProtocol} (PLAINTEXT, SASL_PLAINTEXT...), with {@code extraProperties} set on top of the defaults
     * (e.g. {@code sasl.enabled.mechanisms} and the listener's JAAS configuration).
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, String securityProtocol,
            Map<String, String> extraProperties) {
        QUIETED_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
        QUORUM_CONTROLLER_LOGGER.setLevel(Level.SEVERE);
        int brokerPort = port == 0 ? LocalPorts.findFree() : port;
        long started = System.nanoTime();
        Properties props = brokerProperties(securityProtocol, brokerPort, LocalPorts.findFree(), dataDir);
        props.putAll(extraProperties);
        KafkaConfig config = KafkaConfig.fromProps(props);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(config, dataDir);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        // The broker's threads inherit the context class loader; in dev mode the caller's is the application class
        // loader that a hot reload discards, so hand them the (long-lived) loader of the Kafka classes instead.
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaRaftServer.class.getClassLoader());
        try {
            server.startup();
        } finally {
            thread.setContextClassLoader(callerLoader);
        }
        LOG.debugf("Embedded Kafka broker on localhost:%d started in %d ms", brokerPort,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedKafkaBroker(server, brokerPort, dataDir);
    }

    private static Properties brokerProperties(String protocol, int brokerPort, int controllerPort, Path dataDir) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        // Static quorum: no voter set has to be written at format time, and the controller port may change between
        // restarts on the same data dir.
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", protocol + "://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", protocol + "://localhost:" + brokerPort);
        props.put("listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", protocol);
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
        return props;
    }

    private static void format(KafkaConfig config, Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(dataDir.toAbsolutePath().toString())
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data dir " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + dataDir, e);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public void stop() {
        server.shutdown();
        server.awaitShutdown();
    }

    @Override
    public void close() {
        stop();
    }
}
