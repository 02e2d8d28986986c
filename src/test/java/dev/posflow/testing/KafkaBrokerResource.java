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
 * Runs a real in-JVM Kafka broker for {@code @QuarkusTest}s (there is no Docker for Dev Services), on a free port with
 * a throw-away data dir.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static volatile String bootstrapServers;

    private EmbeddedKafkaBroker broker;
    private Path dataDir;

    /**
     * For tests that talk to the broker with plain KafkaProducer/KafkaConsumer instances. A
     * {@code @QuarkusIntegrationTest} may see this class in another class loader than the one that started the broker;
     * it finds the address in the system property its extension sets from {@link #start()}'s map.
     */
    public static String bootstrapServers() {
        if (bootstrapServers == null && System.getProperty("kafka.bootstrap.servers") != null) {
            return System.getProperty("kafka.bootstrap.servers");
        }
        if (bootstrapServers == null) {
            throw new IllegalStateException("KafkaBrokerResource is not started; annotate the test with "
                    + "@QuarkusTestResource(KafkaBrokerResource.class)");
        }
        return bootstrapServers;
    }

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("posflow-test-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = EmbeddedKafkaBroker.start(0, dataDir);
        bootstrapServers = broker.bootstrapServers();
        return Map.of("kafka.bootstrap.servers", bootstrapServers);
    }

    @Override
    public void stop() {
        bootstrapServers = null;
        if (broker != null) {
            broker.stop();
        }
        if (dataDir != null) {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
