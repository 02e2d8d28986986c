package dev.posflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.posflow.devinfra.EmbeddedKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real in-JVM Kafka broker whose only client listener is SASL_PLAINTEXT with the PLAIN mechanism (users
 * {@link #USER}/{@link #PASSWORD} and an admin for the broker itself), and an app configured through the
 * {@code kafka.} keys that every channel inherits: what an operator sets with KAFKA_SECURITY_PROTOCOL,
 * KAFKA_SASL_MECHANISM and KAFKA_SASL_JAAS_CONFIG.
 */
public class SaslKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "posflow";
    public static final String PASSWORD = "posflow-secret";

    private static volatile String bootstrapServers;

    private EmbeddedKafkaBroker broker;
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

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("posflow-test-kafka-sasl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = EmbeddedKafkaBroker.start(0, dataDir, "SASL_PLAINTEXT", Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                        + "password=\"admin-secret\" user_admin=\"admin-secret\" user_" + USER + "=\"" + PASSWORD
                        + "\";"));
        bootstrapServers = broker.bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", jaasConfig(USER, PASSWORD));
    }

    @Override
    public void stop() {
        bootstrapServers = null;
        if (broker != null) {
            broker.stop();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
