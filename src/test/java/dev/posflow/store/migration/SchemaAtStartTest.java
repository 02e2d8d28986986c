package dev.posflow.store.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mysql.cj.jdbc.MysqlDataSource;

import dev.posflow.config.PosflowConfig.Schema.Migrate;
import dev.posflow.store.migration.SchemaAtStart.Outcome;
import dev.posflow.testing.TestDatabase;
import io.quarkus.liquibase.LiquibaseFactory;
import io.quarkus.liquibase.runtime.LiquibaseConfig;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;

/**
 * A start brings any database up to date, on the real MariaDB/MySQL 8, and starts Liquibase only when a change set of
 * this build is missing: an empty database, an upgrade, a database a newer build migrated, and the two other modes.
 */
class SchemaAtStartTest {

    private static final String DATABASE = "posflow_schema_at_start";
    private static final String CHANGELOG = "db/changelog.xml";

    private MysqlDataSource dataSource;
    private LiquibaseFactory liquibase;

    @BeforeEach
    void emptyDatabase() throws SQLException {
        TestDatabase.execute("drop database if exists " + DATABASE, "create database " + DATABASE);
        dataSource = new MysqlDataSource();
        dataSource.setURL(TestDatabase.urlOf(DATABASE) + "?allowPublicKeyRetrieval=true&useSSL=false");
        dataSource.setUser("root");
        dataSource.setPassword("");
        LiquibaseConfig config = new LiquibaseConfig();
        config.changeLog = CHANGELOG;
        config.validateOnMigrate = false;
        config.contexts = List.of();
        config.labels = List.of();
        config.changeLogParameters = Map.of();
        liquibase = new LiquibaseFactory(config, dataSource, "<default>");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        TestDatabase.execute("drop database if exists " + DATABASE);
    }

    @Test
    void anEmptyDatabaseIsMigratedAndTheNextStartFindsItCurrentWithoutLiquibase() throws SQLException {
        assertEquals(Outcome.MIGRATED, start(Migrate.WHEN_BEHIND));
        assertEquals(changeSetsOfThisBuild(), count("select count(*) from DATABASECHANGELOG"));
        assertEquals(0, count("select count(*) from positions"));

        assertEquals(Outcome.CURRENT, start(Migrate.WHEN_BEHIND));
    }

    @Test
    void aDatabaseWithoutTheNewestChangeSetIsUpgraded() throws Exception {
        int older = (int) changeSetsOfThisBuild() - 1;
        try (Liquibase olderBuild = liquibase.createLiquibase()) {
            olderBuild.update(older, new Contexts(), new LabelExpression());
        }
        assertEquals(older, count("select count(*) from DATABASECHANGELOG"));
        SchemaState behind = schemaAtStart(Migrate.WHEN_BEHIND).state().orElseThrow();
        assertEquals(1, behind.missing().size());

        assertEquals(Outcome.MIGRATED, start(Migrate.WHEN_BEHIND));
        assertEquals(changeSetsOfThisBuild(), count("select count(*) from DATABASECHANGELOG"));
        assertEquals(Outcome.CURRENT, start(Migrate.WHEN_BEHIND));
    }

    @Test
    void aDatabaseANewerBuildMigratedIsUsedAsItIsAndItsUnknownChangeSetIsNamed() throws SQLException {
        start(Migrate.WHEN_BEHIND);
        execute("insert into DATABASECHANGELOG (id, author, filename, dateexecuted, orderexecuted, exectype)"
                + " values ('99-from-a-newer-build', 'posflow', 'db/changelog.xml', now(), 99, 'EXECUTED')");

        assertEquals(Outcome.CURRENT, start(Migrate.WHEN_BEHIND));
        SchemaState state = schemaAtStart(Migrate.WHEN_BEHIND).state().orElseThrow();
        assertEquals(List.of(new ChangeSetId("99-from-a-newer-build", "posflow", CHANGELOG)), state.unknown());
    }

    @Test
    void alwaysStartsLiquibaseWhichChecksTheChecksumsThatTheQuickCheckDoesNotRead() throws SQLException {
        start(Migrate.WHEN_BEHIND);
        execute("update DATABASECHANGELOG set md5sum = '9:00000000000000000000000000000000' where id = '1-positions'");

        assertEquals(Outcome.CURRENT, start(Migrate.WHEN_BEHIND));
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> start(Migrate.ALWAYS));
        assertTrue(String.valueOf(failed.getCause()).contains("1-positions"), String.valueOf(failed.getCause()));
    }

    @Test
    void verifyMigratesNothingAndRefusesToStartUntilAnotherStepHasAppliedEveryChangeSet() throws SQLException {
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> start(Migrate.VERIFY));
        assertTrue(empty.getMessage().contains("could not be read"), empty.getMessage());
        assertEquals(0, count("select count(*) from information_schema.tables where table_schema = '" + DATABASE
                + "'"));

        start(Migrate.WHEN_BEHIND);
        execute("delete from DATABASECHANGELOG where id = '1-positions'");
        IllegalStateException behind = assertThrows(IllegalStateException.class, () -> start(Migrate.VERIFY));
        assertTrue(behind.getMessage().contains("db/changelog.xml::1-positions::posflow"), behind.getMessage());

        execute("insert into DATABASECHANGELOG (id, author, filename, dateexecuted, orderexecuted, exectype)"
                + " values ('1-positions', 'posflow', 'db/changelog.xml', now(), 1, 'EXECUTED')");
        assertEquals(Outcome.VERIFIED, start(Migrate.VERIFY));
    }

    @Test
    void theQuickReadOfTheChangelogFindsTheChangeSetsLiquibaseFinds() throws Exception {
        List<ChangeSetId> byLiquibase;
        try (Liquibase parser = liquibase.createLiquibase()) {
            byLiquibase = parser.getDatabaseChangeLog().getChangeSets().stream()
                    .map(each -> new ChangeSetId(each.getId(), each.getAuthor(), each.getFilePath())).toList();
        }
        assertEquals(byLiquibase, BuildChangelog.changeSets(CHANGELOG).orElseThrow());
        assertEquals(changeSetsOfThisBuild(), byLiquibase.size());
    }

    @Test
    void aChangelogWhoseUpdateOnlyLiquibaseCanForeseeIsNotReadQuickly() {
        assertTrue(changelog("<changeSet id='a' author='p' runOnChange='true'/>").isEmpty());
        assertTrue(changelog("<changeSet id='a' author='p' runAlways='true'/>").isEmpty());
        assertTrue(changelog("<include file='more.xml'/>").isEmpty());
        assertTrue(changelog("<changeSet id='a' author='p'>").isEmpty(), "not well-formed");
        assertEquals(List.of(new ChangeSetId("a", "p", "x.xml")),
                changelog("<changeSet id='a' author='p' runOnChange='false'/>").orElseThrow());
    }

    private Outcome start(Migrate mode) {
        return schemaAtStart(mode).bringUpToDate();
    }

    private SchemaAtStart schemaAtStart(Migrate mode) {
        return new SchemaAtStart(mode, liquibase, dataSource);
    }

    private static Optional<List<ChangeSetId>> changelog(String body) {
        String xml = "<databaseChangeLog xmlns='http://www.liquibase.org/xml/ns/dbchangelog'>" + body
                + "</databaseChangeLog>";
        return BuildChangelog.changeSets(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "x.xml");
    }

    private static long changeSetsOfThisBuild() {
        return BuildChangelog.changeSets(CHANGELOG).orElseThrow().size();
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
