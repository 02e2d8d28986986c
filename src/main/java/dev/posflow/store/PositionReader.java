package dev.posflow.store;

import java.util.ArrayList;
import java.util.Collection;
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

    private static final UtcMicrosConverter TIME = new UtcMicrosConverter();

    public Optional<Position> byId(long id) {
        return Position.findByIdOptional(id);
    }

    private static final String LATEST = "select p from Position p, LatestPosition l"
            + " where p.kafka = l.kafka";

    /** Primary-key reads of latest_positions, then a unique-key read of each row. */
    public List<Position> latestOf(Collection<String> sources) {
        return Position.getEntityManager().createQuery(LATEST + " and l.source in :sources", Position.class)
                .setParameter("sources", sources)
                .getResultList();
    }

    /** One row of latest_positions per source: the table of positions is not searched. */
    public List<Position> latestOfEverySource() {
        return Position.getEntityManager().createQuery(LATEST + " order by l.source", Position.class)
                .getResultList();
    }

    public List<Position> history(HistoryQuery query) {
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

    public List<SourceSummary> sources() {
        // CAST to text: the driver would read DATETIME(6) through java.sql types; text keeps the microseconds
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Position.getEntityManager()
                .createNativeQuery("select source, row_count, cast(first_sampled_at as char), cast(sampled_at as char)"
                        + " from latest_positions order by source")
                .getResultList();
        List<SourceSummary> summaries = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            summaries.add(new SourceSummary((String) row[0], ((Number) row[1]).longValue(),
                    TIME.convertToEntityAttribute((String) row[2]), TIME.convertToEntityAttribute((String) row[3])));
        }
        return summaries;
    }
}
