package dev.posflow.packaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.posflow.devinfra.LocalPorts;
import dev.posflow.testing.Changelog;
import dev.posflow.testing.TestDatabase;

/**
 * The packaged app's schema at start, in its prod profile: it starts Liquibase to migrate an empty database and not
 * again on a current one, and it can leave migration to a separate step of Quarkus's own (an init task that migrates
 * and exits), refusing to start until that step has run.
 */
class SchemaAtStartIT {

    private static final Path APP = Path.of("target", "quarkus-app");
    private static final String DATABASE = "posflow_schema_it_" + TestDatabase.database();
    private static final Duration START = Duration.ofSeconds(90);

    private Path log;

    @BeforeEach
    void emptyDatabase() throws Exception {
        TestDatabase.execute("drop database if exists " + DATABASE, "create database " + DATABASE);
        log = Files.createTempFile("posflow-schema-it", ".log");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        TestDatabase.execute("drop database if exists " + DATABASE);
        Files.deleteIfExists(log);
    }

    @Test
    void theAppMigratesAnEmptyDatabaseAndStartsNoLiquibaseWhenNothingIsMissing() throws Exception {
        String first = serveThenStop(Map.of());
        assertTrue(first.contains("ChangeSet db/changelog.xml::1-positions::posflow ran successfully"), first);
        assertEquals(Changelog.changeSets(), count("select count(*) from DATABASECHANGELOG"));

        String restart = serveThenStop(Map.of());
        assertFalse(startedLiquibase(restart), restart);

        String always = serveThenStop(Map.of("POSFLOW_SCHEMA_MIGRATE", "always"));
        assertTrue(startedLiquibase(always), always);
    }

    @Test
    void aSeparateMigrationStepMigratesAndExitsAndTheServiceOnVerifyStartsOnlyAfterIt() throws Exception {
        Process early = start(Map.of("POSFLOW_SCHEMA_MIGRATE", "verify"));
        assertTrue(early.waitFor(START.toSeconds(), TimeUnit.SECONDS), "verify on an empty database kept running");
        assertNotEquals(0, early.exitValue());
        assertTrue(log().contains("Run the migration step first"), log());
        assertEquals(0, count("select count(*) from information_schema.tables where table_schema = '" + DATABASE
                + "'"));

        Process step = start(Map.of("QUARKUS_INIT_AND_EXIT", "true", "QUARKUS_LIQUIBASE_MIGRATE_AT_START", "true"));
        assertTrue(step.waitFor(START.toSeconds(), TimeUnit.SECONDS), "the migration step did not exit:\n" + log());
        assertEquals(0, step.exitValue(), log());
        assertEquals(Changelog.changeSets(), count("select count(*) from DATABASECHANGELOG"));

        String service = serveThenStop(Map.of("POSFLOW_SCHEMA_MIGRATE", "verify"));
        assertFalse(startedLiquibase(service), service);
    }

    /**
     * With the database away at start, the packaged app exits with the schema check's error, and Hibernate neither
     * waits for a connection of its own first nor logs a warning of its own about it.
     */
    @Test
    void aDatabaseAwayAtStartStopsTheAppWithTheSchemaChecksErrorAlone() throws Exception {
        int closed = LocalPorts.findFree();
        Process app = start(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:mysql://127.0.0.1:" + closed + "/posflow"));
        assertTrue(app.waitFor(START.toSeconds(), TimeUnit.SECONDS), "kept running without its database:\n" + log());
        assertNotEquals(0, app.exitValue());
        assertTrue(log().contains("Could not bring the schema up to date"), log());
        String hibernate = log().lines().filter(line -> line.contains("org.hibernate") || line.contains("HHH"))
                .reduce("", (a, b) -> a + b + "\n");
        assertEquals("", hibernate, "Hibernate reported the database away on its own");
    }

    /** Whether Liquibase logged anything (its loggers are named liquibase.*; Quarkus's feature list names it too). */
    private static boolean startedLiquibase(String log) {
        return log.contains("[liquibase.");
    }

    /** Starts the app, waits until it answers a read, stops it; its output. */
    private String serveThenStop(Map<String, String> settings) throws Exception {
        int port = LocalPorts.findFree();
        Process app = start(settings, port);
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(250))
                    .until(() -> !app.isAlive() || answers(port));
            assertTrue(app.isAlive(), () -> "the packaged app exited:\n" + log());
        } finally {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
        return log();
    }

    private Process start(Map<String, String> settings) throws IOException {
        return start(settings, LocalPorts.findFree());
    }

    private Process start(Map<String, String> settings, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", APP.resolve("quarkus-run.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // Kafka unreachable on purpose: no part of start-up waits for it
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.urlOf(DATABASE)
                + "?allowPublicKeyRetrieval=true&useSSL=false");
        env.put("QUARKUS_DATASOURCE_USERNAME", "root");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("POSFLOW_AUTH_ENABLED", "false");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(LocalPorts.findFree()));
        env.putAll(settings);
        return builder.start();
    }

    private static boolean answers(int port) {
        try {
            return given().port(port).get("/positions/latest").statusCode() == 200;
        } catch (Exception notYet) { // connection refused until the HTTP server is up
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            result.next();
            return result.getLong(1);
        }
    }
}
