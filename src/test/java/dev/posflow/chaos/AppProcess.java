package dev.posflow.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.posflow.devinfra.LocalPorts;
import dev.posflow.testing.TestDatabase;

/** The packaged service, {@code java -jar target/quarkus-app/quarkus-run.jar}, configured by environment only. */
final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> env = new HashMap<>();
    private final int port = LocalPorts.findFree();
    private final int managementPort = LocalPorts.findFree();
    private Process process;
    private int starts;

    AppProcess(String name, String bootstrapServers, int databasePort, String database, String topic) {
        this.name = name;
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mysql://" + TestDatabase.host() + ":" + databasePort + "/"
                + database);
        env.put("QUARKUS_DATASOURCE_USERNAME", "root");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        // the fault suite reads MySQL directly and only polls readiness (on the management port): no token needed
        env.put("POSFLOW_AUTH_ENABLED", "false");
        env.put("POSFLOW_INGEST_TOPICS", topic);
        env.put("POSFLOW_INGEST_DEAD_LETTER_TOPIC", topic + "-dlq");
        env.put("POSFLOW_INGEST_INSTANCE_ID", name);
        env.put("POSFLOW_SAMPLER_SOURCE", "off");
        env.put("MP_MESSAGING_INCOMING_POSITIONS_IN_GROUP_ID", topic);
    }

    /** Sets one more environment variable (a configuration key) for the next start. */
    AppProcess with(String variable, String value) {
        env.put(variable, value);
        return this;
    }

    void start() throws IOException {
        Files.createDirectories(Processes.LOGS);
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-Xmx256m", "-jar",
                Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(Processes.LOGS.resolve(name + "-" + (++starts) + ".log").toFile());
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the consumer group. */
    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, and how the process ended. */
    int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + within + " of SIGTERM");
        }
        return process.exitValue();
    }

    int port() {
        return port;
    }

    /** Where /q/health, /q/metrics and /q/openapi answer. */
    int managementPort() {
        return managementPort;
    }

    /** The log of the latest start. */
    Path log() {
        return Processes.LOGS.resolve(name + "-" + starts + ".log");
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The HTTP status of /q/health/ready on the management port, or 0 when nothing answers. */
    int readiness() {
        try {
            URI ready = URI.create("http://localhost:" + managementPort + "/q/health/ready");
            return HTTP.send(HttpRequest.newBuilder(ready)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill9();
        }
    }
}
