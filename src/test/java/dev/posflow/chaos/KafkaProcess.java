package dev.posflow.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.posflow.devinfra.LocalPorts;

/** A real broker in its own JVM, started and stopped on one port and one data dir. */
final class KafkaProcess implements AutoCloseable {

    private final int port = LocalPorts.findFree();
    private final Path dataDir;
    private final String name;
    private Process process;
    private int starts;

    KafkaProcess(String name) throws IOException {
        this.name = name;
        this.dataDir = Files.createTempDirectory("posflow-fault-kafka");
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    void start() throws IOException {
        Files.createDirectories(Processes.LOGS);
        process = new ProcessBuilder(Processes.java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StandaloneKafka.class.getName(), String.valueOf(port), dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(Processes.LOGS.resolve(name + "-kafka-" + (++starts) + ".log").toFile())
                .start();
        // generous: on a CI machine shared with other builds a Kafka JVM has been seen to take minutes to listen
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || Processes.listening(port));
        if (!process.isAlive()) {
            throw new IllegalStateException("the broker exited; see " + Processes.LOGS);
        }
    }

    /** A clean stop (SIGTERM), as an operator or an orchestrator stops a broker. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
        try (var paths = Files.walk(dataDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
