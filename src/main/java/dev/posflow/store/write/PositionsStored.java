package dev.posflow.store.write;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;

/**
 * What one ingested batch wrote, fired by {@link IngestWriter} inside the batch's transaction. Readers of the outcome
 * (the latest snapshot, the live feed, and whatever comes next) observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}: they run only once the batch has committed, and a failure
 * of theirs can neither undo nor retry the batch (ArC catches and logs it).
 *
 * @param positions the batch's positions, in batch order; a redelivered one is listed though its row was stored before
 * @param sources the batch's sources, sorted: the writer groups the batch by source for its upsert anyway, so an
 *        observer need not go through 5,000 positions again on the ingest thread to learn them
 */
public record PositionsStored(List<IncomingPosition> positions, SortedSet<String> sources) {

    public PositionsStored {
        positions = List.copyOf(positions);
        sources = Collections.unmodifiableSortedSet(sources);
    }
}
