package dev.posflow.devinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddedMySqlTest {

    private final Path dir = Path.of("target", "mysql-test-" + UUID.randomUUID()).toAbsolutePath();

    @AfterEach
    void deleteDir() throws Exception {
        EmbeddedMySql.deleteRecursively(dir);
    }

    @Test
    void aRealMySql8KeepsRowsAcrossACleanStopAndAKill() throws Exception {
        try (EmbeddedMySql mysql = EmbeddedMySql.builder(dir).start()) {
            mysql.createDatabase("posflow");
            try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl("posflow"), "root", "");
                    Statement statement = connection.createStatement()) {
                try (ResultSet version = statement.executeQuery("SELECT version()")) {
                    version.next();
                    assertEquals(EmbeddedMySql.VERSION, version.getString(1));
                }
                statement.execute("CREATE TABLE sample (id INT PRIMARY KEY)");
                statement.execute("INSERT INTO sample VALUES (42)");
            }
        }

        EmbeddedMySql restarted = EmbeddedMySql.builder(dir).start();
        try (Connection connection = DriverManager.getConnection(restarted.jdbcUrl("posflow"), "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO sample VALUES (43)");
        }
        assertTrue(ProcessHandle.of(restarted.pid()).isPresent());
        restarted.kill();
        assertFalse(restarted.isAlive());

        try (EmbeddedMySql recovered = EmbeddedMySql.builder(dir).start();
                Connection connection = DriverManager.getConnection(recovered.jdbcUrl("posflow"), "root", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM sample")) {
            rows.next();
            assertEquals(2, rows.getInt(1));
        }
    }

    @Test
    void callerArgumentsReachTheServer() throws Exception {
        try (EmbeddedMySql mysql = EmbeddedMySql.builder(dir)
                .serverArguments("--server-id=7", "--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--log-bin=binlog")
                .start();
                Connection connection = DriverManager.getConnection(mysql.jdbcUrl(""), "root", "");
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT @@server_id, @@gtid_mode, @@log_bin")) {
            row.next();
            assertEquals(7, row.getInt(1));
            assertEquals("ON", row.getString(2));
            assertEquals(1, row.getInt(3));
        }
    }
}
