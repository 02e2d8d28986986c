package dev.posflow.devinfra;

import java.nio.file.Path;

import org.jboss.logging.Logger;

/**
 * Provides the Kafka bootstrap address for dev mode, starting an {@link EmbeddedKafkaBroker} when nothing listens on
 * localhost:9092. The port is fixed so that a hot reload (new class loader, so new statics) finds the broker started
 * before the reload by probing the port.
 */
public final class DevKafka {

    private static final Logger LOG = Logger.getLogger(DevKafka.class);

    private static final String HOST = "localhost";
    private static final int PORT = 9092;
    private static final Path DATA_DIR = Path.of("target", "posflow-dev", "kafka");

    /** Null until decided; the config source factory runs several times per JVM (static init, runtime init). */
    private static String bootstrapServers;
    private static boolean decided;

    private DevKafka() {
    }

    /** The bootstrap address to use, or null when no broker is available (the reason has been logged). */
    public static synchronized String bootstrapServers() {
        if (!decided) {
            bootstrapServers = decide();
            decided = true;
        }
        return bootstrapServers;
    }

    private static String decide() {
        String address = HOST + ":" + PORT;
        if (LocalPorts.isAccepting(HOST, PORT)) {
            LOG.infof("Dev mode: using the Kafka broker already listening on %s (kafka.bootstrap.servers is not set)",
                    address);
            return address;
        }
        if (!DevClasspath.has("kafka.server.KafkaRaftServer")) {
            LOG.warnf("Dev mode: kafka.bootstrap.servers is not set, nothing listens on %s and kafka_2.13 is not on "
                    + "the class path, so no embedded broker can be started", address);
            return null;
        }
        try {
            long started = System.nanoTime();
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(PORT, DATA_DIR.toAbsolutePath());
            Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "posflow-dev-kafka-shutdown"));
            LOG.infof("Dev mode: started an embedded Kafka broker on %s in %d ms (data in %s); set "
                    + "kafka.bootstrap.servers to use another broker", address, (System.nanoTime() - started) / 1_000_000,
                    broker.dataDir());
            return address;
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "Dev mode: could not start the embedded Kafka broker on %s; set KAFKA_BOOTSTRAP_SERVERS to "
                    + "a running broker", address);
            return null;
        }
    }
}
