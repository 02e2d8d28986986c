package dev.posflow.store.erase;

import java.util.Set;

/**
 * What one erasure or retention transaction deleted, fired by {@link PositionEraser} inside that transaction. Like
 * {@link dev.posflow.store.write.PositionsStored}, readers observe it after the commit ({@code TransactionPhase.AFTER_SUCCESS}).
 *
 * @param sources the sources that lost rows; a source none of whose rows remain has no latest row any more
 * @param rows how many rows the transaction deleted
 */
public record PositionsErased(Set<String> sources, long rows) {

    public PositionsErased {
        sources = Set.copyOf(sources);
    }
}
