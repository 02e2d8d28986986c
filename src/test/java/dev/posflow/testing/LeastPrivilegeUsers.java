package dev.posflow.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Creates the two MySQL users of docs/security.md ("Least-privilege MySQL grants") on the test database, with exactly
 * the grants given there, and runs the app with them: Liquibase as the migration user, everything else as the runtime
 * user.
 */
public class LeastPrivilegeUsers implements QuarkusTestResourceLifecycleManager {

    public static final String APP_PASSWORD = "app-Secret-1";
    private static final String MIGRATE_PASSWORD = "migrate-Secret-1";

    private static volatile String database;

    /** The JDBC URL the tests use (the same variable the COMMON test setup exports), its database, and names. */
    public static String jdbcUrl() {
        return TestDatabase.jdbcUrl();
    }

    public static String database() {
        return TestDatabase.database();
    }

    /** User names carry the database's name, so that runs on other test databases do not share them. */
    public static String appUser() {
        return ("pf_app_" + database()).substring(0, Math.min(32, 7 + database().length()));
    }

    public static String migrateUser() {
        return ("pf_mig_" + database()).substring(0, Math.min(32, 7 + database().length()));
    }

    public static Connection connectAs(String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl() + (jdbcUrl().contains("?") ? "&" : "?")
                + "useSSL=false&allowPublicKeyRetrieval=true", user, password);
    }

    @Override
    public Map<String, String> start() {
        database = database();
        String db = "`" + database.replace("`", "``") + "`";
        try (Connection root = connectAs("root", ""); Statement sql = root.createStatement()) {
            for (String host : List.of("%", "localhost")) {
                for (String user : List.of(appUser(), migrateUser())) {
                    sql.execute("drop user if exists '" + user + "'@'" + host + "'");
                }
                sql.execute("create user '" + migrateUser() + "'@'" + host + "' identified by '" + MIGRATE_PASSWORD + "'");
                sql.execute("grant create, alter, drop, index, references, select, insert, update, delete on " + db
                        + ".* to '" + migrateUser() + "'@'" + host + "'");
                sql.execute("create user '" + appUser() + "'@'" + host + "' identified by '" + APP_PASSWORD + "'");
                sql.execute("grant select, insert, update, delete on " + db + ".* to '" + appUser() + "'@'" + host + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the least-privilege users", e);
        }
        return Map.of(
                "quarkus.datasource.username", appUser(),
                "quarkus.datasource.password", APP_PASSWORD,
                "quarkus.liquibase.username", migrateUser(),
                "quarkus.liquibase.password", MIGRATE_PASSWORD);
    }

    @Override
    public void stop() {
        try (Connection root = connectAs("root", ""); Statement sql = root.createStatement()) {
            for (String host : List.of("%", "localhost")) {
                for (String user : List.of(appUser(), migrateUser())) {
                    sql.execute("drop user if exists '" + user + "'@'" + host + "'");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the least-privilege users", e);
        }
    }
}
