package dev.posflow.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** posflow's Liquibase changelog as the tests see it: counted by its text, independently of the code under test. */
public final class Changelog {

    private static final Pattern CHANGE_SET = Pattern.compile("<changeSet ");

    private Changelog() {
    }

    /** How many change sets db/changelog.xml holds: the rows DATABASECHANGELOG has once it is applied. */
    public static long changeSets() {
        try (InputStream changelog = Changelog.class.getClassLoader().getResourceAsStream("db/changelog.xml")) {
            return CHANGE_SET.matcher(new String(changelog.readAllBytes(), StandardCharsets.UTF_8)).results().count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
