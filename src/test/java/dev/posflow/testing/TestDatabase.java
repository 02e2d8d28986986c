package dev.posflow.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database server the tests use, in one place: {@code _TEST_QUARKUS_DATASOURCE_JDBC_URL} when set (the variable
 * that also points the {@code %test} profile at it), else the {@code test} database of the MySQL 8 server that
 * {@link EmbeddedTestDatabase} started for this test JVM. Tests that make
 * databases of their own (the fault and incarnation suites, the migration tests, the packaged app) make them on the
 * same server, as root with an empty password.
 */
public final class TestDatabase {

    private static final Pattern URL = Pattern.compile("^jdbc:mysql://([^:/]+)(?::(\\d+))?/([^?]*)(\\?.*)?$");

    private TestDatabase() {
    }

    /** The JDBC URL of the tests' own database. */
    public static String jdbcUrl() {
        String url = configuredUrl();
        if (url == null) {
            url = System.getProperty(EmbeddedTestDatabase.URL_PROPERTY);
        }
        if (url == null) {
            throw new IllegalStateException("No test database: set _TEST_QUARKUS_DATASOURCE_JDBC_URL, or run the tests "
                    + "through the JUnit Platform launcher (Maven), whose EmbeddedTestDatabase starts MySQL 8");
        }
        return url;
    }

    /** Whether the tests run on the MySQL 8 server they started themselves (no server given from outside). */
    public static boolean embedded() {
        return configuredUrl() == null;
    }

    /** The server given from outside ({@code _TEST_QUARKUS_DATASOURCE_JDBC_URL}), or null. */
    static String configuredUrl() {
        String url = System.getenv("_TEST_QUARKUS_DATASOURCE_JDBC_URL");
        return url != null && !url.isBlank() ? url : null;
    }

    public static String host() {
        return parts().group(1);
    }

    public static int port() {
        String port = parts().group(2);
        return port == null ? 3306 : Integer.parseInt(port);
    }

    /** The name of the tests' own database. */
    public static String database() {
        return parts().group(3);
    }

    /** A JDBC URL of another database on the same server (no database when {@code database} is empty). */
    public static String urlOf(String database) {
        return "jdbc:mysql://" + host() + ":" + port() + "/" + database;
    }

    /** A root connection to another database on the same server ("" for none). */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(urlOf(database) + "?allowPublicKeyRetrieval=true&useSSL=false", "root", "");
    }

    /** Runs statements as root on the server, outside any database. */
    public static void execute(String... statements) throws SQLException {
        try (Connection connection = connect(""); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Matcher parts() {
        Matcher matcher = URL.matcher(jdbcUrl());
        if (!matcher.matches()) {
            throw new IllegalStateException("Not a jdbc:mysql://host[:port]/database URL: " + jdbcUrl());
        }
        return matcher;
    }
}
