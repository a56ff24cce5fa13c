package dev.duet.engine;

import dev.duet.columnstore.ColumnStore;
import dev.duet.core.DuetException;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.engine.sql.Sessions;
import dev.duet.planner.PlannedStatement;
import dev.duet.rowstore.RowStore;
import dev.duet.sync.ColumnSync;
import dev.duet.sync.LagHistogram;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The database's Micrometer meters: every meter Duet registers is made here, named {@code duet.*}
 * and tagged {@code database=<name>} (docs/operations.md lists them with their units). One per
 * {@link Duet}; the meters are removed from the registry when the database closes, and a
 * registry Duet made itself (no {@link DuetConfig#meterRegistry()} given) is closed too.
 *
 * <p>Cost: counters and timers that statements touch are registered up front and held in fields
 * (an array per statement kind), so recording is an add to a {@code LongAdder}-backed meter, with
 * no tag lookup and nothing per row. State the engine already keeps (WAL position, fsyncs, open
 * sessions) is read by function counters and gauges only when the registry is scraped. Error
 * counters are made on the first error of a SQLSTATE class (errors are not the normal path).
 *
 * <p>Adding meters (column store, sync): register them in the constructor, or in a method the
 * constructor calls, through {@link #track} so that {@link #close()} removes them; read state the
 * stores keep anyway (function counters and gauges over getters such as the sync watermark LSN,
 * rows applied, segments and bytes per table, zone-map skips) rather than counting on hot paths.
 * Name them {@code duet.<store>.<what>} with a base unit, and list them in docs/operations.md.
 *
 * <p>Thread-safe: the recording methods may be called from any session's thread.
 */
public final class DuetMetrics implements AutoCloseable {
    /** Tag every meter carries: the database directory, or {@code memory-<n>} for an in-memory database. */
    public static final String DATABASE_TAG = "database";
    /** The quantiles of {@code duet.sync.commit.lag.percentile} (tag {@code phi}). */
    private static final double[] LAG_QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final MeterRegistry registry;
    private final boolean ownsRegistry;
    private final String database;
    /** Every meter registered, removed on close. Guarded by itself. */
    private final List<Meter> meters = new ArrayList<>();
    /** By {@link PlannedStatement.Kind#ordinal()}. */
    private final Counter[] statements;
    private final Timer statementTime;
    private final Counter commits;
    private final Counter rollbacks;
    private final DistributionSummary queryMemoryPeak;
    /** Error counters by SQLSTATE class (two characters), made on first use. */
    private final ConcurrentMap<String, Counter> errors = new ConcurrentHashMap<>();
    /** Guarded by {@link #meters}. */
    private boolean closed;
    /** The column store whose meters {@link #columnStore} registered; null without one. Set once at open. */
    private volatile ColumnStore columnStore;
    /** Per-table gauges by table id. Guarded by itself. */
    private final Map<Long, List<Meter>> tableMeters = new HashMap<>();
    /** The catalog {@link #refreshTables} saw last. Guarded by {@link #tableMeters}. */
    private Catalog seenCatalog;

    /**
     * Registers the database's meters in {@code registry} (null: a new {@link SimpleMeterRegistry},
     * closed with these metrics).
     *
     * @param database the value of the {@code database} tag; unique among the databases sharing
     *     a registry (meters with the same name and tags are one meter in Micrometer)
     */
    DuetMetrics(MeterRegistry registry, String database, RowStore store, Sessions sessions) {
        this.ownsRegistry = registry == null;
        this.registry = registry != null ? registry : new SimpleMeterRegistry();
        this.database = Objects.requireNonNull(database, "database is null");
        PlannedStatement.Kind[] kinds = PlannedStatement.Kind.values();
        statements = new Counter[kinds.length];
        for (PlannedStatement.Kind kind : kinds) {
            statements[kind.ordinal()] = track(Counter.builder("duet.statements")
                    .description("SQL statements executed, by kind (query, dml, ddl, utility, explain, copy)")
                    .tag(DATABASE_TAG, database).tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(this.registry));
        }
        statementTime = track(Timer.builder("duet.statement.time")
                .description("Wall time of SQL statements; a query's lasts until its last row is read or its result is closed")
                .tag(DATABASE_TAG, database).register(this.registry));
        commits = track(Counter.builder("duet.transactions")
                .description("Read-write transactions of SQL sessions that ended, by outcome")
                .tag(DATABASE_TAG, database).tag("outcome", "commit").register(this.registry));
        rollbacks = track(Counter.builder("duet.transactions")
                .description("Read-write transactions of SQL sessions that ended, by outcome")
                .tag(DATABASE_TAG, database).tag("outcome", "rollback").register(this.registry));
        queryMemoryPeak = track(DistributionSummary.builder("duet.query.memory.peak")
                .description("Most Arrow memory one statement's query allocator held at once")
                .baseUnit("bytes").tag(DATABASE_TAG, database).register(this.registry));
        long walStart = store.walEndLsn();
        track(FunctionCounter.builder("duet.wal.written", store, s -> s.walEndLsn() - walStart)
                .description("Bytes appended to the write-ahead log since the database opened")
                .baseUnit("bytes").tag(DATABASE_TAG, database).register(this.registry));
        track(FunctionCounter.builder("duet.wal.fsyncs", store, RowStore::walSyncCount)
                .description("Times a write-ahead log file was forced to disk (group commit: fewer than commits)")
                .tag(DATABASE_TAG, database).register(this.registry));
        track(Gauge.builder("duet.sessions.open", sessions, Sessions::openSessions)
                .description("SQL sessions (JDBC connections) open now")
                .tag(DATABASE_TAG, database).strongReference(true).register(this.registry));
    }

    /**
     * Registers the meters of the column store and of the sync that feeds it: read from the
     * counters they keep anyway, when the registry is scraped.
     */
    void columnStore(ColumnStore columns, ColumnSync sync, ColumnStoreScans scans, Catalog catalog) {
        this.columnStore = columns;
        track(FunctionCounter.builder("duet.columnstore.scans", scans, ColumnStoreScans::served)
                .description("Table scans routed to the column store, by what served them")
                .tag(DATABASE_TAG, database).tag("served_by", "column").register(registry));
        track(FunctionCounter.builder("duet.columnstore.scans", scans, ColumnStoreScans::fallbacks)
                .description("Table scans routed to the column store, by what served them")
                .tag(DATABASE_TAG, database).tag("served_by", "row").register(registry));
        track(Gauge.builder("duet.sync.lag.bytes", sync, ColumnSync::lagBytes)
                .description("Write-ahead log bytes committed but not yet applied to the column store")
                .baseUnit("bytes").tag(DATABASE_TAG, database).strongReference(true).register(registry));
        track(Gauge.builder("duet.sync.lag", sync, ColumnSync::lagMillis)
                .description("Age of the oldest commit not yet applied to the column store (0 when caught up)")
                .baseUnit("milliseconds").tag(DATABASE_TAG, database).strongReference(true).register(registry));
        track(FunctionCounter.builder("duet.sync.writer.waits", sync, ColumnSync::writerWaits)
                .description("Times a committer waited for the column-store sync to catch up (backpressure: SyncOptions.maxLag, maxQueueBytes)")
                .tag(DATABASE_TAG, database).register(registry));
        track(FunctionCounter.builder("duet.sync.writer.wait.time", sync, s -> s.writerWaitMillis() / 1000.0)
                .description("Time committers spent in those waits")
                .baseUnit("seconds").tag(DATABASE_TAG, database).register(registry));
        LagHistogram lag = sync.commitLag();
        track(FunctionTimer.builder("duet.sync.commit.lag", lag, LagHistogram::count, LagHistogram::totalNanos, TimeUnit.NANOSECONDS)
                .description("Per commit, from the row store committing it to the column store's watermark covering it (count and total since open)")
                .tag(DATABASE_TAG, database).register(registry));
        for (double q : LAG_QUANTILES) {
            track(Gauge.builder("duet.sync.commit.lag.percentile", lag, h -> h.snapshot().percentileNanos(q) / 1e6)
                    .description("Per-commit sync lag percentile since open (log buckets: at most 6.25 % high)")
                    .baseUnit("milliseconds").tag(DATABASE_TAG, database).tag("phi", Double.toString(q))
                    .strongReference(true).register(registry));
        }
        track(Gauge.builder("duet.sync.commit.lag.max", lag, h -> h.snapshot().maxNanos() / 1e6)
                .description("Largest per-commit sync lag since open")
                .baseUnit("milliseconds").tag(DATABASE_TAG, database).strongReference(true).register(registry));
        track(FunctionCounter.builder("duet.sync.commits.applied", sync, ColumnSync::commitsApplied)
                .description("Commits the sync applied to the column store since the database opened")
                .tag(DATABASE_TAG, database).register(registry));
        track(FunctionCounter.builder("duet.columnstore.rows.applied", columns, ColumnStore::rowsApplied)
                .description("Rows inserted into the column store (INSERT, or the new side of an UPDATE) since open; its rate is rows applied per second")
                .baseUnit("rows").tag(DATABASE_TAG, database).register(registry));
        track(FunctionCounter.builder("duet.columnstore.segments.sealed", columns, ColumnStore::segmentsSealed)
                .description("Segments sealed into Parquet files since open")
                .tag(DATABASE_TAG, database).register(registry));
        track(FunctionCounter.builder("duet.columnstore.keymaps.built", columns, ColumnStore::keyMapsBuilt)
                .description("Key maps the column store built since open: one per table at its first UPDATE or DELETE")
                .tag(DATABASE_TAG, database).register(registry));
        track(FunctionCounter.builder("duet.columnstore.keymaps.build.time", columns, ColumnStore::keyMapBuildMillis)
                .description("Time the sync spent building key maps since open (about 0.3 s per million rows of the table)")
                .baseUnit("milliseconds").tag(DATABASE_TAG, database).register(registry));
        track(Gauge.builder("duet.columnstore.segments", columns, DuetMetrics::sealedSegments)
                .description("Sealed segments the column store holds, all tables")
                .tag(DATABASE_TAG, database).strongReference(true).register(registry));
        track(Gauge.builder("duet.columnstore.bytes", columns, DuetMetrics::segmentBytes)
                .description("Bytes of the column store's segment files, all tables")
                .baseUnit("bytes").tag(DATABASE_TAG, database).strongReference(true).register(registry));
        track(FunctionCounter.builder("duet.columnstore.rowgroups.skipped", columns, ColumnStore::rowGroupsSkipped)
                .description("Row groups column scans skipped because their min/max could not match (zone maps)")
                .tag(DATABASE_TAG, database).register(registry));
        track(FunctionCounter.builder("duet.columnstore.rowgroups.read", columns, ColumnStore::rowGroupsRead)
                .description("Row groups column scans read")
                .tag(DATABASE_TAG, database).register(registry));
        refreshTables(catalog);
    }

    /**
     * Keeps one {@code duet.columnstore.table.segments} and one {@code duet.columnstore.table.bytes}
     * gauge (tag {@code table}) per table of {@code catalog}: adds those of new tables, removes
     * those of dropped ones. Called when the catalog may have changed (after DDL); nothing happens
     * if it is the catalog seen last time or the database has no column store.
     */
    public void refreshTables(Catalog catalog) {
        ColumnStore columns = columnStore;
        if (columns == null) {
            return;
        }
        synchronized (tableMeters) {
            if (catalog == seenCatalog) {
                return;
            }
            seenCatalog = catalog;
            Set<Long> ids = new HashSet<>();
            for (TableDef t : catalog.tables()) {
                ids.add(t.id());
            }
            // removals first: a table dropped and created again under its name gets new gauges
            for (Iterator<Map.Entry<Long, List<Meter>>> it = tableMeters.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, List<Meter>> e = it.next();
                if (!ids.contains(e.getKey())) {
                    for (Meter m : e.getValue()) {
                        untrack(m);
                    }
                    it.remove();
                }
            }
            for (TableDef t : catalog.tables()) {
                long id = t.id();
                if (!tableMeters.containsKey(id)) {
                    tableMeters.put(id, List.of(
                            track(Gauge.builder("duet.columnstore.table.segments", columns, c -> c.sealedSegmentCount(id))
                                    .description("Sealed segments of one table in the column store")
                                    .tag(DATABASE_TAG, database).tag("table", t.qualifiedName())
                                    .strongReference(true).register(registry)),
                            track(Gauge.builder("duet.columnstore.table.bytes", columns, c -> c.tableBytes(id))
                                    .description("Bytes of one table in the column store: its segment files and its open segment")
                                    .baseUnit("bytes").tag(DATABASE_TAG, database).tag("table", t.qualifiedName())
                                    .strongReference(true).register(registry))));
                }
            }
        }
    }

    private void untrack(Meter meter) {
        synchronized (meters) {
            meters.remove(meter);
        }
        registry.remove(meter);
    }

    private static double sealedSegments(ColumnStore columns) {
        long n = 0;
        for (long table : columns.tableIds()) {
            n += columns.sealedSegmentCount(table);
        }
        return n;
    }

    private static double segmentBytes(ColumnStore columns) {
        long n = 0;
        for (long table : columns.tableIds()) {
            n += columns.tableBytes(table);
        }
        return n;
    }

    /** Remembers {@code meter} so that {@link #close()} removes it; returns it. */
    private <M extends Meter> M track(M meter) {
        synchronized (meters) {
            if (closed) { // an error counter made while the database closes
                registry.remove(meter);
            } else {
                meters.add(meter);
            }
        }
        return meter;
    }

    /** The registry the meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The value of the {@code database} tag. */
    public String database() {
        return database;
    }

    // ---------------------------------------------------------------- recording (for the SQL layer)

    /** Counts a statement of {@code kind} starting; returns the start time for {@link #statementEnded}. */
    public long statementStarted(PlannedStatement.Kind kind) {
        statements[kind.ordinal()].increment();
        return System.nanoTime();
    }

    /** Records the time of a statement started at {@code startNanos} ({@link System#nanoTime()}). */
    public void statementEnded(long startNanos) {
        statementTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Counts {@code count} statements of kind {@code kind} that ran together, started at
     * {@code startNanos}, and records their time once: a JDBC batch run as one bulk commit, whose
     * statements' times cannot be told apart (a timer sample per statement was a visible share of
     * the batch path's CPU).
     */
    public void bulkStatementsEnded(PlannedStatement.Kind kind, int count, long startNanos) {
        statements[kind.ordinal()].increment(count);
        statementTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a failed statement under its SQLSTATE's class ({@code XX}, internal error, if it has none). */
    public void error(RuntimeException e) {
        String sqlClass = e instanceof DuetException d ? d.state().code().substring(0, 2) : "XX";
        Counter c = errors.get(sqlClass);
        if (c == null) {
            c = errors.computeIfAbsent(sqlClass, k -> track(Counter.builder("duet.statement.errors")
                    .description("Failed SQL statements, by SQLSTATE class (first two characters)")
                    .tag(DATABASE_TAG, database).tag("sqlstate_class", k).register(registry)));
        }
        c.increment();
    }

    /** Counts a committed read-write transaction. */
    public void committed() {
        commits.increment();
    }

    /** Counts a rolled-back read-write transaction (ROLLBACK, a failed auto-commit statement, a failed commit). */
    public void rolledBack() {
        rollbacks.increment();
    }

    /** Records the peak bytes of one statement's query allocator. */
    public void queryMemoryPeak(long bytes) {
        queryMemoryPeak.record(bytes);
    }

    /** Removes every meter from the registry, and closes the registry if Duet made it. Idempotent. */
    @Override
    public void close() {
        synchronized (meters) {
            if (closed) {
                return;
            }
            closed = true;
            for (Meter m : meters) {
                registry.remove(m);
            }
            meters.clear();
        }
        if (ownsRegistry) {
            registry.close();
        }
    }
}
