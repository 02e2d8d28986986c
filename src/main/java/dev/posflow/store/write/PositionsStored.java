package dev.posflow.store.write;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one ingested batch wrote, fired by {@link IngestWriter} inside the batch's transaction. Readers of the outcome
 * (the latest snapshot, the live feed, and whatever comes next) observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}: they run only once the batch has committed, and a failure
 * of theirs can neither undo nor retry the batch (ArC catches and logs it).
 *
 * @param positions the batch's positions, in batch order; a redelivered one is listed though its row was stored before
 */
public record PositionsStored(List<IncomingPosition> positions) {

    public PositionsStored {
        positions = List.copyOf(positions);
    }

    /** The sources of the batch, sorted. */
    public Set<String> sources() {
        Set<String> sources = new TreeSet<>();
        for (IncomingPosition position : positions) {
            sources.add(position.sample().source().orElseThrow());
        }
        return sources;
    }
}
