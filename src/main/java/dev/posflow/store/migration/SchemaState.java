package dev.posflow.store.migration;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * This build's change sets against those DATABASECHANGELOG records. {@code missing} are this build's change sets the
 * database lacks (an empty database lacks them all); {@code unknown} are recorded change sets this build does not
 * have, as after a newer posflow migrated the database.
 */
record SchemaState(List<ChangeSetId> missing, List<ChangeSetId> unknown) {

    static SchemaState of(List<ChangeSetId> build, Set<ChangeSetId> applied) {
        Set<ChangeSetId> known = Set.copyOf(build);
        return new SchemaState(build.stream().filter(each -> !applied.contains(each)).toList(),
                applied.stream().filter(each -> !known.contains(each))
                        .sorted(Comparator.comparing(ChangeSetId::toString)).toList());
    }

    /** Every change set of this build applied: Liquibase's update would do nothing. */
    boolean current() {
        return missing.isEmpty();
    }
}
