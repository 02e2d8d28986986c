package dev.posflow.store.migration;

import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.posflow.config.PosflowConfig;
import dev.posflow.config.PosflowConfig.Schema.Migrate;
import io.quarkus.liquibase.LiquibaseFactory;
import io.quarkus.liquibase.runtime.LiquibaseConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Brings the schema up to date before anything uses it, and starts Liquibase only when a change set of this build is
 * missing from DATABASECHANGELOG. Quarkus's own {@code quarkus.liquibase.migrate-at-start} starts Liquibase at every
 * start, and Liquibase's finding that nothing is pending cost 0.5-0.8 s and 7-26 MB of RSS of each one
 * (docs/performance.md); Quarkus offers no check of its own before it. The update itself is Quarkus's: the same
 * {@link LiquibaseFactory}, migration user, lock and changelog.
 */
@Singleton
public class SchemaAtStart {

    /** What a start did with the schema. */
    public enum Outcome {
        /** Every change set of this build was applied already: Liquibase did not start. */
        CURRENT,
        /** Liquibase's update ran. */
        MIGRATED,
        /** {@code posflow.schema.migrate=verify}: every change set of this build was applied by another step. */
        VERIFIED
    }

    // Before every other start-up observer: Quarkus's scheduler and reactive messaging (whose ingest reads the
    // offsets table) start on StartupEvent too, and the HTTP server opens only after all of them.
    private static final int BEFORE_EVERY_OTHER_OBSERVER = Interceptor.Priority.PLATFORM_BEFORE - 1;

    private static final Logger LOG = Logger.getLogger(SchemaAtStart.class);

    private final Migrate mode;
    private final LiquibaseFactory liquibase;
    private final DataSource dataSource;

    @Inject
    public SchemaAtStart(PosflowConfig config, LiquibaseFactory liquibase, DataSource dataSource) {
        this(config.schema().migrate(), liquibase, dataSource);
    }

    SchemaAtStart(Migrate mode, LiquibaseFactory liquibase, DataSource dataSource) {
        this.mode = mode;
        this.liquibase = liquibase;
        this.dataSource = dataSource;
    }

    void onStart(@Observes @Priority(BEFORE_EVERY_OTHER_OBSERVER) StartupEvent start) {
        bringUpToDate();
    }

    public Outcome bringUpToDate() {
        switch (mode) {
            case VERIFY:
                Optional<SchemaState> verified = state();
                if (verified.isEmpty() || !verified.get().current()) {
                    throw new IllegalStateException("posflow.schema.migrate=verify, and the schema is not up to date: "
                            + verified.map(behind -> "change set(s) of this build missing from DATABASECHANGELOG: "
                                    + behind.missing()).orElse("DATABASECHANGELOG could not be read")
                            + ". Run the migration step first (docs/deployment.md, \"Migrating as a separate step\")");
                }
                reportCurrent(verified.get());
                return Outcome.VERIFIED;
            case WHEN_BEHIND:
                Optional<SchemaState> state = state();
                if (state.isPresent() && state.get().current()) {
                    reportCurrent(state.get());
                    return Outcome.CURRENT;
                }
                break;
            case ALWAYS:
                break;
        }
        LiquibaseUpdate.run(liquibase);
        return Outcome.MIGRATED;
    }

    /** Empty when only Liquibase can tell. */
    Optional<SchemaState> state() {
        LiquibaseConfig config = liquibase.getConfiguration();
        boolean defaultPlace = config.searchPath.isEmpty() && config.liquibaseSchemaName.isEmpty()
                && config.liquibaseCatalogName.isEmpty() && config.defaultSchemaName.isEmpty()
                && config.defaultCatalogName.isEmpty() && !config.changeLog.startsWith("filesystem:");
        if (!defaultPlace) {
            return Optional.empty();
        }
        String path = config.changeLog.startsWith("classpath:") ? config.changeLog.substring("classpath:".length())
                : config.changeLog;
        Optional<List<ChangeSetId>> build = BuildChangelog.changeSets(path);
        if (build.isEmpty()) {
            return Optional.empty();
        }
        return AppliedChangeSets.read(dataSource, config.databaseChangeLogTableName)
                .map(applied -> SchemaState.of(build.get(), applied));
    }

    private static void reportCurrent(SchemaState state) {
        if (state.unknown().isEmpty()) {
            LOG.debug("Schema current: every change set of this build is applied; Liquibase not started");
        } else {
            LOG.warnf("The database holds %d change set(s) this build does not have (a newer posflow migrated it?): %s."
                    + " posflow runs on it as Liquibase would, without undoing them", state.unknown().size(),
                    state.unknown());
        }
    }
}
