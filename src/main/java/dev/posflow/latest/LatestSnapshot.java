package dev.posflow.latest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.jboss.logging.Logger;

import dev.posflow.config.PosflowConfig;
import dev.posflow.store.read.LatestReader;
import dev.posflow.store.read.LatestReader.Change;
import dev.posflow.store.read.LatestReader.Changes;
import dev.posflow.store.read.LatestReader.SnapshotRow;
import dev.posflow.store.read.SourceOrder;
import dev.posflow.store.erase.PositionsErased;
import dev.posflow.store.write.ChangedBy;
import dev.posflow.store.write.PositionsStored;
import dev.posflow.store.read.SourceQuery;
import io.quarkus.scheduler.Scheduled;

/**
 * The latest position of the first {@code posflow.latest.max-sources-in-memory} sources by name, each kept as
 * ready-made JSON (written by the API side's {@link SnapshotJson} once per changed row), so that
 * {@code /positions/latest} is served from the event loop without a database round trip: it is the most polled
 * endpoint, and a query per request capped it at about a thousand requests a second on two cores.
 * Pages are assembled per request from the sorted map; what lies beyond the sources held is read from MySQL. Beside
 * each position it keeps the source's summary as {@code /sources} shows it (row count, first and last sampling time),
 * for the same reason: both come from the same row of latest_positions, and change with it.
 * <p>
 * Nothing here is proportional to the number of sources after the first load: after every batch this instance
 * commits, only that batch's sources are read again (on a thread of its own); every {@code posflow.latest.refresh},
 * only the rows of latest_positions whose {@code changed_at} moved since the last look and that this instance's ingest
 * did not change last ({@code changed_by}; an index range), and of those only the ones whose time differs from what
 * is held: what other instances, erasure and retention commit. While the database is unreachable what is held stays
 * served.
 */
@ApplicationScoped
public class LatestSnapshot {

    private static final Logger LOG = Logger.getLogger(LatestSnapshot.class);

    /**
     * How far before its last look the refresh looks again. changed_at is the time of the upsert statement, and the
     * transaction commits a moment later: a row changed just before a look and committed just after it would
     * otherwise never be read. The ingest transaction commits right after its upsert of latest_positions.
     */
    static final Duration OVERLAP = Duration.ofSeconds(2);

    /** Rows per query of the first load: bounded reads, however many sources there are. */
    private static final int LOAD_CHUNK = 5000;

    /**
     * Sources per read of a reload or a refresh, each put before the next is read, so that what a read makes besides
     * the entries (the driver's rows, the row records, their texts: about 4 kB per source) mostly dies in the young
     * generation. Read 5,000 at a time, much of it outlived a young collection and was copied to the old one: at
     * 100,000 sources, 46–48 full collections (7.0–7.3 s of pauses) while 1,000,000 rows were ingested, against
     * 36–38 (5.3–5.7 s) read 500 at a time (docs/performance.md, "the reload's garbage").
     */
    static final int READ_CHUNK = 500;

    /**
     * A source's latest position as JSON (null when the row latest_positions names is gone: the source then shows in
     * /sources only, as the queries of both would answer), its summary as /sources shows it, and changed_at of its
     * row when read (µs), to skip unchanged rows.
     */
    private record Entry(byte[] json, byte[] summary, long changedAt) {
    }

    /** What a page lists of each source. */
    private enum Part {
        POSITION, SUMMARY;

        byte[] of(Entry entry) {
            return this == POSITION ? entry.json() : entry.summary();
        }
    }

    /** A page from memory: positions as JSON, and whether more match after the last one. */
    public record Page(List<byte[]> items, String last, boolean more) {
    }

    private final LatestReader reader;
    private final SnapshotJson json;
    private final int maxInMemory;
    private final long changedBy;

    // read by request threads without a lock; written only under this object's lock
    private final ConcurrentSkipListMap<String, Entry> bySource = new ConcurrentSkipListMap<>(SourceOrder.BY_CODE_POINT);
    /** Every source is held (else: exactly those up to the last key of bySource). */
    private volatile boolean complete;
    private volatile boolean loaded;
    // guarded by this
    private int held;
    private volatile Instant lookedAt;
    /** Sources of committed batches not reloaded yet; a reload is queued or running while it is not empty. */
    private final Set<String> waiting = new HashSet<>();
    /** Sources whose reload after a batch failed, for the next refresh (guarded by waiting). */
    private final Set<String> unloaded = new HashSet<>();
    // one thread: reloads hold this object's lock, so a second one would only wait for it
    private final ExecutorService reloads = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "posflow-latest-reload");
        thread.setDaemon(true);
        return thread;
    });

    LatestSnapshot(LatestReader reader, SnapshotJson json, PosflowConfig config, ChangedBy changedBy) {
        this.reader = reader;
        this.json = json;
        this.changedBy = changedBy.id();
        this.maxInMemory = Math.max(0, config.latest().maxSourcesInMemory());
    }

    /** False until the first load has succeeded. */
    public boolean loaded() {
        return loaded;
    }

    /** Whether memory alone can say what the latest position of a source is, or that it has none. */
    public boolean holds(String source) {
        if (complete) {
            return true;
        }
        Map.Entry<String, Entry> last = bySource.lastEntry();
        return last != null && SourceOrder.BY_CODE_POINT.compare(source, last.getKey()) <= 0;
    }

    /** A source's latest position as JSON; empty when it has none or is not held (see {@link #holds}). */
    public Optional<byte[]> of(String source) {
        Entry entry = bySource.get(source);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.json());
    }

    /**
     * Of these sources, those that memory shows no position of. Before the first load, and beyond the sources held,
     * that is every source: whoever counts new sources with it errs towards counting too many.
     */
    public Set<String> withoutPosition(Collection<String> sources) {
        Set<String> without = new LinkedHashSet<>();
        for (String source : sources) {
            if (of(source).isEmpty()) {
                without.add(source);
            }
        }
        return without;
    }

    /** The page from memory, or empty when part of it lies beyond the sources held: then MySQL must answer. */
    public Optional<Page> page(SourceQuery query) {
        return page(query, Part.POSITION);
    }

    /**
     * A page of /sources from memory (each source's JSON as GET /sources shows it), or empty when part of it lies
     * beyond the sources held: then MySQL must answer.
     */
    public Optional<Page> sourcePage(SourceQuery query) {
        return page(query, Part.SUMMARY);
    }

    private Optional<Page> page(SourceQuery query, Part part) {
        List<byte[]> items = new ArrayList<>(Math.min(query.limit(), 1024));
        String last = null;
        if (!query.sources().isEmpty()) {
            TreeSet<String> wanted = new TreeSet<>(SourceOrder.BY_CODE_POINT);
            wanted.addAll(query.sources());
            Collection<String> after = query.after().isPresent() ? wanted.tailSet(query.after().get(), false) : wanted;
            for (String source : after) {
                if (query.prefix().isPresent() && !source.startsWith(query.prefix().get())) {
                    continue;
                }
                if (!holds(source)) {
                    return Optional.empty();
                }
                Entry entry = bySource.get(source);
                if (entry != null && part.of(entry) != null) {
                    if (items.size() == query.limit()) {
                        return Optional.of(new Page(items, last, true));
                    }
                    items.add(part.of(entry));
                    last = source;
                }
            }
            return Optional.of(new Page(items, last, false));
        }
        String from = query.after().orElse(null);
        boolean inclusive = false;
        if (query.prefix().isPresent() && (from == null
                || SourceOrder.BY_CODE_POINT.compare(query.prefix().get(), from) > 0)) {
            from = query.prefix().get();
            inclusive = true;
        }
        Map<String, Entry> range = from == null ? bySource : bySource.tailMap(from, inclusive);
        for (Map.Entry<String, Entry> each : range.entrySet()) {
            if (!query.matches(each.getKey())) {
                // in name order, the names with a prefix come together: past them, nothing more can match
                return Optional.of(new Page(items, last, false));
            }
            byte[] item = part.of(each.getValue());
            if (item == null) {
                continue;
            }
            if (items.size() == query.limit()) {
                return Optional.of(new Page(items, last, true));
            }
            items.add(item);
            last = each.getKey();
        }
        // the end of memory: the end of the list only if memory holds every source
        return complete ? Optional.of(new Page(items, last, false)) : Optional.empty();
    }

    @Scheduled(every = "${posflow.latest.refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshFromOtherInstances() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf("Latest positions not refreshed, serving the previous ones: %s", e);
        }
    }

    /**
     * Reads what changed in latest_positions since the last look (an overlap before it), and of that what differs
     * from what is held. Only the refresh moves lookedAt, and it never runs twice at once (SKIP).
     */
    public void refresh() {
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    load();
                }
            }
            return;
        }
        reloadUnloaded();
        // the scan of changes outside the lock: a reload does not wait for it; what a reload puts meanwhile at most
        // makes a row look stale, and reading it again is harmless
        Changes changes = reader.changedSince(lookedAt, changedBy);
        synchronized (this) {
            List<String> stale = new ArrayList<>();
            TreeSet<String> added = new TreeSet<>(SourceOrder.BY_CODE_POINT);
            for (Change change : changes.changes()) {
                Entry entry = bySource.get(change.source());
                if (entry != null) {
                    if (entry.changedAt() != change.changedAt()) {
                        stale.add(change.source());
                    }
                } else if (wouldHold(change.source())) {
                    added.add(change.source());
                    if (added.size() > maxInMemory) {
                        // of new sources, only the first names can be held: no read of more than the bound
                        added.pollLast();
                    }
                }
            }
            stale.addAll(added);
            for (List<String> chunk : chunks(stale)) {
                put(reader.snapshotOf(chunk));
            }
        }
        lookedAt = changes.readAt().minus(OVERLAP);
    }

    /**
     * After the commit of a batch of this instance: its sources wait for {@link #reloadWaiting} on a thread of its
     * own, so that the ingest thread goes on to its next batch: at 100,000 sources, reading each batch's 5,000
     * sources back on the ingest thread held ingest to 17,225–22,448 rows/s, against 25,534–28,053 with no view at all
     * (docs/performance.md, "the latest view's work at 100,000 sources"). A failure here must not, and cannot, retry
     * the stored batch.
     */
    void onStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) PositionsStored batch) {
        // the batch's names gathered before the lock, which the reload thread takes to start its read
        Set<String> sources = batch.sources();
        boolean idle;
        synchronized (waiting) {
            idle = waiting.isEmpty();
            waiting.addAll(sources);
        }
        if (idle) {
            reloads.execute(this::reloadWaiting);
        }
    }

    /**
     * Reloads every source that waits: behind a slow database, the sources of several batches in one read, and a
     * source that changed in each of them once.
     */
    private void reloadWaiting() {
        List<String> sources = take(waiting);
        try {
            reload(sources);
        } catch (RuntimeException e) {
            // the refresh skips this instance's own changes, so it must be told which ones to read
            leaveToRefresh(sources);
            LOG.debugf("Latest positions not reloaded after a batch, the next refresh will: %s", e);
        }
    }

    private void reloadUnloaded() {
        List<String> sources = take(unloaded);
        if (sources.isEmpty()) {
            return;
        }
        try {
            reload(sources);
        } catch (RuntimeException e) {
            leaveToRefresh(sources);
            throw e;
        }
    }

    private List<String> take(Set<String> sources) {
        synchronized (waiting) {
            List<String> taken = new ArrayList<>(sources);
            sources.clear();
            return taken;
        }
    }

    private void leaveToRefresh(List<String> sources) {
        synchronized (waiting) {
            unloaded.addAll(sources);
        }
    }

    @PreDestroy
    void stopReloads() {
        reloads.shutdownNow();
    }

    /**
     * After an erasure or retention transaction has committed: its sources are read again, and those left without a
     * position leave the memory.
     */
    void onErased(@Observes(during = TransactionPhase.AFTER_SUCCESS) PositionsErased erased) {
        try {
            reload(erased.sources());
        } catch (RuntimeException e) {
            LOG.debugf("Latest positions not reloaded after an erasure, the next refresh will: %s", e);
        }
    }

    /**
     * After a batch has committed: reads its sources again, those held or to be held (the others are read from MySQL
     * when asked for). The work is proportional to the batch's sources. A full load comes first.
     */
    public synchronized void reload(Collection<String> sources) {
        if (!loaded) {
            load();
            return;
        }
        // under the lock, read and put together: an older read never replaces a newer one
        List<String> wanted = new ArrayList<>(sources.size());
        for (String source : sources) {
            if (wouldHold(source)) {
                wanted.add(source);
            }
        }
        for (List<String> chunk : chunks(wanted)) {
            List<SnapshotRow> rows = reader.snapshotOf(chunk);
            put(rows);
            forgetGone(chunk, rows);
        }
    }

    private static List<List<String>> chunks(List<String> sources) {
        List<List<String>> chunks = new ArrayList<>(sources.size() / READ_CHUNK + 1);
        for (int from = 0; from < sources.size(); from += READ_CHUNK) {
            chunks.add(sources.subList(from, Math.min(sources.size(), from + READ_CHUNK)));
        }
        return chunks;
    }

    /** Sources read again that MySQL no longer has (erased, purged) leave the memory too. */
    private void forgetGone(List<String> wanted, List<SnapshotRow> rows) {
        if (rows.size() == wanted.size()) {
            return;
        }
        Set<String> found = new HashSet<>();
        rows.forEach(row -> found.add(row.source()));
        for (String source : wanted) {
            if (!found.contains(source) && bySource.remove(source) != null) {
                held--;
            }
        }
    }

    /** The first load: the first sources by name, up to the bound, in bounded chunks. */
    private void load() {
        Instant startedAt = reader.now();
        bySource.clear();
        held = 0;
        complete = false;
        String after = null;
        while (held < maxInMemory) {
            int chunk = Math.min(LOAD_CHUNK, maxInMemory - held);
            SourceQuery query = new SourceQuery(Optional.ofNullable(after), Optional.empty(), List.of(), chunk);
            List<SnapshotRow> rows = reader.snapshotPage(query);
            for (SnapshotRow row : rows) {
                bySource.put(row.source(), entry(row));
                held++;
                after = row.source();
            }
            if (rows.size() < chunk) {
                complete = true;
                break;
            }
        }
        if (!complete) {
            // exactly at the bound: complete only if nothing lies beyond
            SourceQuery beyond = new SourceQuery(Optional.ofNullable(after), Optional.empty(), List.of(), 1);
            complete = reader.snapshotPage(beyond).isEmpty();
        }
        lookedAt = startedAt.minus(OVERLAP);
        loaded = true;
        LOG.debugf("Latest positions loaded: %d sources in memory%s", held, complete ? "" : ", more in MySQL");
    }

    /** A source that is held, or new and within the bound. */
    private boolean wouldHold(String source) {
        return bySource.containsKey(source) || holds(source) && maxInMemory > 0;
    }

    private void put(List<SnapshotRow> rows) {
        for (SnapshotRow row : rows) {
            String source = row.source();
            Entry before = bySource.get(source);
            if (before != null && before.changedAt() == row.changedAt()) {
                continue;
            }
            if (before == null && !wouldHold(source)) {
                // beyond the sources held (or none may be held): from MySQL
                complete = complete && maxInMemory > 0;
                continue;
            }
            bySource.put(source, entry(row));
            if (before == null && ++held > maxInMemory) {
                // over the bound: the last name goes, and is read from MySQL from now on
                complete = false;
                bySource.pollLastEntry();
                held--;
            }
        }
    }

    private Entry entry(SnapshotRow row) {
        return new Entry(row.latest() == null ? null : json.position(row.latest()), json.summary(row.summary()),
                row.changedAt());
    }
}
