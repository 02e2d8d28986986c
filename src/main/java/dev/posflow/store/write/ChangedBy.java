package dev.posflow.store.write;

import java.security.SecureRandom;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * This instance's mark on the rows of latest_positions its ingest writes ({@code changed_by}): the latest snapshot's
 * refresh reads only changes without it, those of other instances and of erasure, having reloaded its own after each
 * commit. Random per start: a restarted instance loads every row anyway, and two instances must never share one.
 */
@ApplicationScoped
public class ChangedBy {

    private final long id = new SecureRandom().nextLong();

    public long id() {
        return id;
    }
}
