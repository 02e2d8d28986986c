package dev.posflow.store.migration;

import io.quarkus.liquibase.LiquibaseFactory;
import liquibase.Liquibase;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;

/**
 * Liquibase's update as Quarkus's own migrate-at-start runs it (LiquibaseRecorder): the migration lock, then the
 * update. A class of its own so that a start with nothing pending loads no Liquibase class.
 */
final class LiquibaseUpdate {

    private LiquibaseUpdate() {
    }

    static void run(LiquibaseFactory liquibase) {
        try (Liquibase update = liquibase.createLiquibase()) {
            LockService lock = LockServiceFactory.getInstance().getLockService(update.getDatabase());
            lock.waitForLock();
            try {
                if (liquibase.getConfiguration().validateOnMigrate) {
                    update.validate();
                }
                update.update(liquibase.createContexts(), liquibase.createLabels());
            } finally {
                lock.releaseLock();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not bring the schema up to date with Liquibase", e);
        }
    }
}
