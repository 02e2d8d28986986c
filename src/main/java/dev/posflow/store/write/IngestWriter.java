package dev.posflow.store.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import dev.posflow.store.schema.UtcMicrosConverter;

/**
 * Writes one ingested batch in one transaction: its rows, the latest position of each source, and the next offset of
 * each partition (dead-lettered records included, through {@link OffsetStore}). Either all of it commits or none, so
 * MySQL always says exactly which records are stored, and ingest resumes from there. What it stored is announced as
 * {@link PositionsStored}, which readers observe after the commit: the writer does not know them.
 * <p>
 * Plain JDBC rather than Panache entities: a batch becomes one multi-row statement per table (written as text by
 * {@code executeAsText}, or made by Connector/J's rewriteBatchedStatements), where persisting entities would cost an
 * INSERT round trip per row with IDENTITY ids, plus a session full of entities that nothing reads back; Hibernate's
 * best batched insert (a StatelessSession with ids it may assign) ran at 0.59–0.65 × this writer's rate
 * (docs/performance.md, "Panache write path").
 * <p>
 * Still one JTA transaction with everything else: {@link Transactional} begins (or joins) a Narayana transaction, and
 * the default datasource hands out the connection enlisted in it, the one Hibernate's session uses in the same
 * transaction. A caller's own Panache code in an enclosing {@code @Transactional} method therefore commits or rolls
 * back with the batch (IngestWriterTest).
 */
@ApplicationScoped
public class IngestWriter {

    private static final String VALUES = " values ";
    private static final String ROW_PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_POSITION = "insert into positions"
            + " (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset, kafka_incarnation)"
            + VALUES + ROW_PLACEHOLDERS;

    /** A statement of rows written as text ends after the row that makes it longer than this. */
    private static final int STATEMENT_CHARS = 1 << 20;

    // what DATETIME(6) holds
    private static final Instant EARLIEST = Instant.parse("1000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    // a record stored already (a redelivery, or a zombie consumer after a rebalance) is skipped by the unique key
    private static final String INSERT_POSITION_SKIPPING_STORED = INSERT_POSITION + " on duplicate key update id = id";

    private static final int DUPLICATE_KEY = 1062;

    // sampled_at last: MySQL assigns left to right, and the comparisons must see the old value
    private static final String UPSERT_LATEST = "insert into latest_positions"
            + " (source, sampled_at, kafka_topic, kafka_partition, kafka_offset, row_count, first_sampled_at,"
            + " kafka_incarnation, changed_by)"
            + VALUES + ROW_PLACEHOLDERS
            // the stored row's columns qualified: under MySQL 8's row alias (InsertedRow) a bare name is ambiguous
            + " on duplicate key update"
            + " kafka_topic = if(values(sampled_at) >= latest_positions.sampled_at, values(kafka_topic),"
            + " latest_positions.kafka_topic),"
            + " kafka_partition = if(values(sampled_at) >= latest_positions.sampled_at, values(kafka_partition),"
            + " latest_positions.kafka_partition),"
            + " kafka_offset = if(values(sampled_at) >= latest_positions.sampled_at, values(kafka_offset),"
            + " latest_positions.kafka_offset),"
            + " kafka_incarnation = if(values(sampled_at) >= latest_positions.sampled_at, values(kafka_incarnation),"
            + " latest_positions.kafka_incarnation),"
            + " row_count = latest_positions.row_count + values(row_count),"
            + " first_sampled_at = least(coalesce(latest_positions.first_sampled_at, values(first_sampled_at)),"
            + " values(first_sampled_at)),"
            + " changed_by = values(changed_by),"
            + " sampled_at = greatest(latest_positions.sampled_at, values(sampled_at))";

    // after a batch that held stored records, whose rows the counts cannot tell apart: count again, from the index
    private static final String RECOUNT_SOURCES = "update latest_positions l"
            + " join (select source, count(*) as row_count, min(sampled_at) as first_sampled_at from positions"
            + " where source in (%s) group by source) p on p.source = l.source"
            + " set l.row_count = p.row_count, l.first_sampled_at = p.first_sampled_at";

    private static final UtcMicrosConverter TIME = new UtcMicrosConverter();

    private final DataSource dataSource;
    private final OffsetStore offsets;
    private final Event<PositionsStored> stored;
    private final Clock clock;
    private final long changedBy;

    IngestWriter(DataSource dataSource, OffsetStore offsets, Event<PositionsStored> stored, ChangedBy changedBy) {
        this.dataSource = dataSource;
        this.offsets = offsets;
        this.stored = stored;
        this.clock = Clock.systemUTC();
        this.changedBy = changedBy.id();
    }

    /**
     * @param nextOffsets per partition, the offset after the last record of the batch, stored or dead-lettered
     */
    @Transactional
    public void write(List<IncomingPosition> positions, Map<Partition, Long> nextOffsets) throws SQLException {
        write(positions, nextOffsets, Map.of());
    }

    /**
     * @param committed per partition, the offset below which this instance knows MySQL holds every record: where the
     *        batch starts, or what it committed last if lower. A stored mark below it means the database lost
     *        commits ({@link MarksBehind}, nothing written), as does a partition that has no mark at all; partitions
     *        absent from the map are not checked
     */
    @Transactional
    public void write(List<IncomingPosition> positions, Map<Partition, Long> nextOffsets,
            Map<Partition, Long> committed) throws SQLException {
        String receivedAt = TIME.convertToDatabaseColumn(Instant.now(clock).truncatedTo(ChronoUnit.MICROS));
        NavigableMap<String, SourceBatch> sources = Collections.emptyNavigableMap();
        try (Connection connection = dataSource.getConnection()) {
            if (!committed.isEmpty()) {
                // one read per batch, in its transaction: the marks it checks are the ones its upsert raises
                Map<Partition, Long> behind = OffsetStore.behind(offsets.marks(connection, committed.keySet()),
                        committed);
                if (!behind.isEmpty()) {
                    throw new MarksBehind(behind);
                }
            }
            if (!positions.isEmpty()) {
                boolean asText = literalsOnly(positions);
                boolean allNew = insertPositions(connection, positions, receivedAt, asText);
                sources = perSource(positions);
                upsertLatest(connection, sources.values(), changedBy, asText);
                if (!allNew) {
                    recount(connection, sources.values());
                }
            }
            offsets.raise(connection, nextOffsets);
        }
        if (!positions.isEmpty()) {
            // inside the transaction: AFTER_SUCCESS observers are held until it commits, and skipped if it does not
            stored.fire(new PositionsStored(positions, sources.navigableKeySet()));
        }
    }

    /**
     * A plain INSERT first: "on duplicate key update" costs MariaDB about 18 % more per row (bench: 39,906 against
     * 44,411 rows/s), for the rare batch that holds a stored record. When one does, InnoDB has undone the failed
     * statement alone, and the same transaction writes the batch again, skipping what is stored.
     *
     * @return whether every record of the batch was new, i.e. each made a row
     */
    private static boolean insertPositions(Connection connection, List<IncomingPosition> positions, String receivedAt,
            boolean asText) throws SQLException {
        try {
            insertPositions(connection, INSERT_POSITION, positions, receivedAt, asText);
            return true;
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            insertPositions(connection, INSERT_POSITION_SKIPPING_STORED, positions, receivedAt, asText);
            return false;
        }
    }

    private static boolean isDuplicateKey(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == DUPLICATE_KEY) {
                return true;
            }
        }
        for (SQLException next = failure.getNextException(); next != null; next = next.getNextException()) {
            if (next.getErrorCode() == DUPLICATE_KEY) {
                return true;
            }
        }
        return false;
    }

    private static void insertPositions(Connection connection, String sql, List<IncomingPosition> positions,
            String receivedAt, boolean asText) throws SQLException {
        if (asText) {
            executeAsText(connection, sql, positions, (text, position) -> {
                text.append("('").append(position.sample().source().orElseThrow()).append("','");
                UtcMicrosConverter.appendDatabaseColumn(text, position.sample().sampledAt());
                text.append("',").append(position.sample().x()).append(',').append(position.sample().y())
                        .append(",'").append(receivedAt).append("','").append(position.record().topic()).append("',")
                        .append(position.record().partition()).append(',').append(position.record().offset())
                        .append(',').append(position.record().incarnation()).append(')');
            });
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (IncomingPosition position : positions) {
                insert.setString(1, position.sample().source().orElseThrow());
                insert.setString(2, TIME.convertToDatabaseColumn(position.sample().sampledAt()));
                insert.setInt(3, position.sample().x());
                insert.setInt(4, position.sample().y());
                insert.setString(5, receivedAt);
                insert.setString(6, position.record().topic());
                insert.setInt(7, position.record().partition());
                insert.setLong(8, position.record().offset());
                insert.setInt(9, position.record().incarnation());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * The same multi-row INSERT that Connector/J's rewriteBatchedStatements makes of the prepared statement, written
     * straight from the values: binding 9 parameters per row, then copying them into the rewritten statement, was
     * the largest share of posflow's CPU per ingested row (docs/runs/2026-11-26-issue4.md,
     * docs/runs/2026-11-29-issue11.md), and with many sources the upsert of latest_positions binds as many again per
     * source (docs/performance.md, "the upsert written as text"). Only for rows whose every string is made of
     * characters that are the same in any SQL string literal and need no escaping ({@link #literalsOnly}): source
     * names and Kafka topic names always are; anything else takes the prepared statement.
     *
     * @param sql a statement with one row of {@link #ROW_PLACEHOLDERS} after {@link #VALUES}
     * @param row appends one row's parenthesised values
     */
    private static <T> void executeAsText(Connection connection, String sql, Collection<T> rows,
            BiConsumer<StringBuilder, T> row) throws SQLException {
        int values = sql.indexOf(VALUES) + VALUES.length();
        String head = sql.substring(0, values);
        String tail = sql.substring(values + ROW_PLACEHOLDERS.length());
        try (Statement statement = connection.createStatement()) {
            // nothing in it is a JDBC escape ({fn ...}): the driver need not scan half a megabyte for one
            statement.setEscapeProcessing(false);
            StringBuilder text = new StringBuilder(Math.min(STATEMENT_CHARS, rows.size() * 128) + tail.length() + 256);
            int written = 0;
            for (T each : rows) {
                row.accept(text.append(written == 0 ? head : ","), each);
                written++;
                // below any server's max_allowed_packet (MySQL 8: 64 MB, MariaDB: 16 MB by default)
                if (text.length() >= STATEMENT_CHARS) {
                    statement.executeUpdate(text.append(tail).toString());
                    text.setLength(0);
                    written = 0;
                }
            }
            if (written > 0) {
                statement.executeUpdate(text.append(tail).toString());
            }
        }
    }

    /** Whether every string of the rows is of [A-Za-z0-9._:@-] and every time within DATETIME(6)'s years. */
    private static boolean literalsOnly(List<IncomingPosition> positions) {
        String topic = null;
        for (IncomingPosition position : positions) {
            Instant at = position.sample().sampledAt();
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST) || !plain(position.sample().source().orElseThrow())) {
                return false;
            }
            // a batch's records come from a few topics, partition by partition
            if (!position.record().topic().equals(topic)) {
                topic = position.record().topic();
                if (!plain(topic)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == ':' || c == '@' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A batch's positions of one source: the latest, how many, the earliest sampling time. Gathered in place: one
     * record per position and per merge made 2.6 % of what ingest allocated (docs/performance.md, "ingest's garbage").
     */
    private static final class SourceBatch {

        private IncomingPosition latest;
        private long count;
        private Instant first;

        void add(IncomingPosition position) {
            Instant at = position.sample().sampledAt();
            if (latest == null) {
                latest = position;
                first = at;
            } else {
                int order = at.compareTo(latest.sample().sampledAt());
                if (order > 0 || order == 0 && position.record().offset() > latest.record().offset()) {
                    latest = position;
                }
                if (at.isBefore(first)) {
                    first = at;
                }
            }
            count++;
        }

        IncomingPosition latest() {
            return latest;
        }

        long count() {
            return count;
        }

        Instant first() {
            return first;
        }
    }

    /** Sorted by source, so that concurrent batches lock the rows of latest_positions in one order. */
    private static NavigableMap<String, SourceBatch> perSource(List<IncomingPosition> positions) {
        NavigableMap<String, SourceBatch> sources = new TreeMap<>();
        String lastSource = null;
        SourceBatch last = null;
        for (IncomingPosition position : positions) {
            String source = position.sample().source().orElseThrow();
            // consecutive records of one source take one lookup
            if (!source.equals(lastSource)) {
                last = sources.computeIfAbsent(source, name -> new SourceBatch());
                lastSource = source;
            }
            last.add(position);
        }
        return sources;
    }

    private static void upsertLatest(Connection connection, Collection<SourceBatch> sources, long changedBy,
            boolean asText) throws SQLException {
        String sql = InsertedRow.sql(connection, UPSERT_LATEST);
        if (asText) {
            executeAsText(connection, sql, sources, (text, source) -> {
                IncomingPosition latest = source.latest();
                text.append("('").append(latest.sample().source().orElseThrow()).append("','");
                UtcMicrosConverter.appendDatabaseColumn(text, latest.sample().sampledAt());
                text.append("','").append(latest.record().topic()).append("',").append(latest.record().partition())
                        .append(',').append(latest.record().offset()).append(',').append(source.count()).append(",'");
                UtcMicrosConverter.appendDatabaseColumn(text, source.first());
                text.append("',").append(latest.record().incarnation()).append(',').append(changedBy).append(')');
            });
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            for (SourceBatch source : sources) {
                IncomingPosition latest = source.latest();
                upsert.setString(1, latest.sample().source().orElseThrow());
                upsert.setString(2, TIME.convertToDatabaseColumn(latest.sample().sampledAt()));
                upsert.setString(3, latest.record().topic());
                upsert.setInt(4, latest.record().partition());
                upsert.setLong(5, latest.record().offset());
                upsert.setLong(6, source.count());
                upsert.setString(7, TIME.convertToDatabaseColumn(source.first()));
                upsert.setInt(8, latest.record().incarnation());
                upsert.setLong(9, changedBy);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void recount(Connection connection, Collection<SourceBatch> sources) throws SQLException {
        String placeholders = String.join(", ", Collections.nCopies(sources.size(), "?"));
        try (PreparedStatement recount = connection.prepareStatement(RECOUNT_SOURCES.formatted(placeholders))) {
            int index = 1;
            for (SourceBatch source : sources) {
                recount.setString(index++, source.latest().sample().source().orElseThrow());
            }
            recount.executeUpdate();
        }
    }
}
