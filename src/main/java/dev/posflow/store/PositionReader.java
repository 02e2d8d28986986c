package dev.posflow.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Page;

/** The read side of the store. Every query walks an index: see docs for the plans. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class PositionReader {

    public Optional<Position> byId(long id) {
        return Position.findByIdOptional(id);
    }

    /** A page of at most {@code query.limit()} positions, and the keyset of the next page if there is one. */
    public HistoryPage history(HistoryQuery query) {
        // one more than asked tells whether a next page exists without a count
        List<Position> rows = rows(query.withLimit(query.limit() + 1));
        if (rows.size() <= query.limit()) {
            return new HistoryPage(rows, Optional.empty());
        }
        List<Position> page = rows.subList(0, query.limit());
        Position last = page.get(page.size() - 1);
        return new HistoryPage(page, Optional.of(new HistoryQuery.Keyset(last.sampledAt, last.id)));
    }

    private static List<Position> rows(HistoryQuery query) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        query.source().ifPresent(source -> {
            where.append(" and source = :source");
            parameters.put("source", source);
        });
        query.from().ifPresent(from -> {
            where.append(" and sampledAt >= :from");
            parameters.put("from", from);
        });
        query.to().ifPresent(to -> {
            where.append(" and sampledAt < :to");
            parameters.put("to", to);
        });
        query.after().ifPresent(after -> {
            // written so that the leading sampledAt bound opens an index range
            where.append(query.descending()
                    ? " and sampledAt <= :afterAt and (sampledAt < :afterAt or id < :afterId)"
                    : " and sampledAt >= :afterAt and (sampledAt > :afterAt or id > :afterId)");
            parameters.put("afterAt", after.sampledAt());
            parameters.put("afterId", after.id());
        });
        String direction = query.descending() ? "desc" : "asc";
        return Position.<Position> find(where + " order by sampledAt " + direction + ", id " + direction, parameters)
                .page(Page.ofSize(query.limit()))
                .list();
    }
}
