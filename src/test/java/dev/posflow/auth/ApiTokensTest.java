package dev.posflow.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiTokensTest {

    @Test
    void entriesReadBackAndInvalidOnesSayWhyWithoutRepeatingTheHash() {
        String token = ApiToken.mint();
        String entry = ApiToken.entry("ops", Role.ADMIN, token, null);
        ApiToken parsed = ApiToken.parse(entry);
        assertEquals(Role.ADMIN, parsed.role());
        assertTrue(parsed.sources().matches("any:source@1"));

        String hash = entry.split(":")[2];
        IllegalArgumentException noSources = assertThrows(IllegalArgumentException.class,
                () -> ApiToken.parse("w:writer:" + hash));
        assertTrue(noSources.getMessage().contains("names no sources"));
        assertFalse(noSources.getMessage().contains(hash));
        assertThrows(IllegalArgumentException.class, () -> ApiToken.parse("w:writer:" + hash.substring(1) + ":a*"));
        assertThrows(IllegalArgumentException.class, () -> ApiToken.parse("r:reader:" + hash + ":a*"));
        assertThrows(IllegalArgumentException.class, () -> ApiToken.parse("r:owner:" + hash));
    }

    @Test
    void globsMatchWholeNamesWithRegexCharactersTakenLiterally() {
        SourceGlobs globs = SourceGlobs.parse("vehicle-*|a.b|x?");
        assertTrue(globs.matches("vehicle-"));
        assertTrue(globs.matches("vehicle-1:2"));
        assertFalse(globs.matches("my-vehicle-1"));
        assertTrue(globs.matches("a.b"));
        assertFalse(globs.matches("axb"));
        assertTrue(globs.matches("x1"));
        assertFalse(globs.matches("x"));
    }
}
