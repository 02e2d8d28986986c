package dev.posflow.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of history and where the next one starts.
 *
 * @param next the keyset of the page's last position when more positions follow, else empty
 */
public record HistoryPage(List<Position> items, Optional<HistoryQuery.Keyset> next) {
}
