package dev.posflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import dev.posflow.testing.Changelog;
import dev.posflow.testing.TestDatabase;

/**
 * Replicas of posflow start together against one database, and any of them can die mid-migration: the real
 * MariaDB/MySQL must see each change set applied once and never a migration lock that outlives its holder.
 */
class ConcurrentMigrationTest {

    private static final String SERVER = TestDatabase.urlOf("");
    private static final String DATABASE = "posflow_migration_race";
    private static final long CHANGE_SETS = Changelog.changeSets();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        execute("drop database if exists " + DATABASE, "create database " + DATABASE);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        execute("drop database if exists " + DATABASE);
    }

    @Test
    void replicasMigratingAnEmptyDatabaseTogetherAllSucceedAndApplyEachChangeSetOnce() throws Exception {
        int replicas = 4;
        CyclicBarrier together = new CyclicBarrier(replicas);
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<?>> migrations = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                migrations.add(pool.submit(() -> {
                    together.await();
                    migrate();
                    return null;
                }));
            }
            for (Future<?> migration : migrations) {
                migration.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(CHANGE_SETS, count("select count(*) from DATABASECHANGELOG"));
        assertEquals(CHANGE_SETS, count("select count(distinct id) from DATABASECHANGELOG"));
    }

    @Test
    void aMigrationLockWhoseHolderDiedDoesNotBlockTheNextStart() throws Exception {
        try (Connection dying = connect()) {
            Database database = liquibaseDatabase(dying);
            LockService lock = LockServiceFactory.getInstance().getLockService(database);
            lock.waitForLock();
            // the holder's connection closes without releasing, as when its process is killed mid-migration
        } finally {
            LockServiceFactory.getInstance().resetAll();
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // Liquibase's row lock would keep the next start waiting for five minutes, then fail
            pool.submit(() -> {
                migrate();
                return null;
            }).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(CHANGE_SETS, count("select count(*) from DATABASECHANGELOG"));
    }

    /** As Quarkus migrates at start: take the migration lock, then update. */
    private static void migrate() throws Exception {
        try (Connection connection = connect();
                Liquibase liquibase = new Liquibase("db/changelog.xml", new ClassLoaderResourceAccessor(),
                        liquibaseDatabase(connection))) {
            LockService lock = LockServiceFactory.getInstance().getLockService(liquibase.getDatabase());
            lock.waitForLock();
            try {
                liquibase.update(new Contexts());
            } finally {
                lock.releaseLock();
            }
        }
    }

    private static Database liquibaseDatabase(Connection connection) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }

    private static Connection connect() throws SQLException {
        return TestDatabase.connect(DATABASE);
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void execute(String... sql) throws SQLException {
        try (Connection connection = TestDatabase.connect("");
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
