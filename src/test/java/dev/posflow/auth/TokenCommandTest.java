package dev.posflow.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void mintsA256BitUrlSafeTokenAndTheEntryThatLetsItIn() {
        assertEquals(0, run("--role", "writer", "--name", "fleet", "--sources", "vehicle-*|truck-?"));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        String token = lines.get(1);
        String entry = lines.get(4);

        assertTrue(token.startsWith(ApiToken.PREFIX));
        byte[] bits = Base64.getUrlDecoder().decode(token.substring(ApiToken.PREFIX.length()));
        assertEquals(32, bits.length);
        assertTrue(token.matches("[A-Za-z0-9_-]+"), "URL-safe");
        assertFalse(entry.contains(token), "the entry holds the hash, not the token");
        assertTrue(lines.contains("POSFLOW_AUTH_TOKENS='" + entry + "'"));

        ApiToken configured = ApiToken.parse(entry);
        assertEquals("fleet", configured.name());
        assertEquals(Role.WRITER, configured.role());
        assertTrue(configured.sources().matches("vehicle-42"));
        assertTrue(configured.sources().matches("truck-7"));
        assertFalse(configured.sources().matches("truck-77"));
        assertFalse(configured.sources().matches("bus-1"));
    }

    @Test
    void everyRunMintsAnotherToken() {
        run("--role", "reader");
        run("--role", "reader");
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        String first = lines.get(1);
        String second = lines.stream().filter(line -> line.startsWith(ApiToken.PREFIX)).skip(1).findFirst()
                .orElseThrow();
        assertFalse(first.equals(second));
    }

    @Test
    void aWriterWithoutSourcesOrAReaderWithSourcesIsRefused() {
        assertEquals(2, run("--role", "writer"));
        assertEquals(2, run("--role", "reader", "--sources", "a*"));
        assertEquals(2, run("--role", "root"));
        assertEquals(2, run("--name", "has:colon"));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no token printed for a refused command");
    }

    private int run(String... args) {
        return TokenCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
