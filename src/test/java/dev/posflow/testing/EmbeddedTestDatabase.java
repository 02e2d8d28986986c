package dev.posflow.testing;

import java.nio.file.Path;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import dev.posflow.devinfra.EmbeddedMySql;

/**
 * Starts the tests' database server once per test JVM (surefire's and failsafe's) when none is configured: a real
 * MySQL 8.0 ({@link EmbeddedMySql}, posflow's production engine) with its data in {@code target/posflow-test/mysql},
 * reused by later runs. It publishes the server as system properties, which every class loader of the JVM sees (the
 * {@code @QuarkusTest} application runs in a class loader of its own): {@value #URL_PROPERTY} for
 * {@link TestDatabase}, and {@code %test.quarkus.datasource.jdbc.url} for the {@code %test} profile.
 * With {@code _TEST_QUARKUS_DATASOURCE_JDBC_URL} set (how CI runs the suite on MariaDB) it starts nothing.
 * Registered in {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class EmbeddedTestDatabase implements LauncherSessionListener {

    static final String URL_PROPERTY = "posflow-tests.jdbc-url";
    private static final Path DIR = Path.of("target", "posflow-test", "mysql");

    private EmbeddedMySql server;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (TestDatabase.configuredUrl() != null || System.getProperty(URL_PROPERTY) != null) {
            return;
        }
        server = EmbeddedMySql.builder(DIR).start();
        server.createDatabase("test");
        String url = "jdbc:mysql://127.0.0.1:" + server.port() + "/test";
        System.setProperty(URL_PROPERTY, url);
        System.setProperty("%test.quarkus.datasource.jdbc.url", url);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
