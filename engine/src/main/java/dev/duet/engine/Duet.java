package dev.duet.engine;

import dev.duet.columnstore.ColumnStore;
import dev.duet.columnstore.parquet.ParquetWriteOptions;
import dev.duet.core.DuetException;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.engine.sql.Session;
import dev.duet.planner.exec.route.ColumnScans;
import dev.duet.engine.sql.Sessions;
import dev.duet.rowstore.Appender;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.Transaction;
import dev.duet.sync.ColumnSync;
import dev.duet.sync.SyncOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * An embedded Duet database. Open one with {@link #open(Path)} (a directory, created on first use
 * and owned by this process until {@link #close()}) or {@link #inMemory()}.
 *
 * <pre>{@code
 * try (Duet db = Duet.open(Path.of("data"))) {
 *     db.createTable(TableDef.builder("accounts")
 *             .column("id", DataType.BIGINT).column("balance", DataType.BIGINT)
 *             .primaryKey("id").build());
 *     try (Transaction tx = db.begin()) {
 *         tx.insert("accounts", 1L, 100L);
 *         tx.commit();
 *     }
 *     Row r = db.get("accounts", 1L);
 * }
 * }</pre>
 *
 * <p>The single-statement helpers ({@link #insert}, {@link #get}, ...) each run in a transaction
 * of their own. All methods are thread-safe; a {@link Transaction} is used by one thread at a time.
 * Errors are {@link dev.duet.core.DuetException}s carrying a SQLSTATE.
 */
public final class Duet implements AutoCloseable {
    private final RowStore store;
    private final DuetConfig config;
    /** Every query's allocator is a child of this one; closed last. */
    private final BufferAllocator allocator;
    /** The planner estimates each table's size from the row store ({@link RowStore#estimatedRows}). */
    private final Sessions sessions;
    /** The column store and the sync feeding it; null when configured off or unavailable (see {@link #startColumnStore}). */
    private final ColumnStore columnStore;
    private final ColumnSync sync;
    /** {@link #columnStore} as table scans see it; null without one. */
    private final ColumnScans columnScans;
    private final DuetMetrics metrics;
    /** Threads of parallel queries. */
    private final QueryWorkers workers;

    private Duet(RowStore store, DuetConfig config) {
        this.store = store;
        this.config = config;
        this.sessions = new Sessions(new TableStatistics(store));
        ColumnStore cs = null;
        ColumnSync s = null;
        try {
            if (config.columnStore() != null) {
                cs = store.directory() == null ? ColumnStore.temporary(config.columnStore())
                        : ColumnStore.open(store.directory().resolve("columns"), config.columnStore());
                s = startColumnStore(store, cs, config.sync());
                if (s == null) {
                    cs.close();
                    cs = null;
                }
            }
        } catch (RuntimeException | Error e) {
            if (cs != null) {
                cs.close();
            }
            store.close();
            throw e;
        }
        this.columnStore = cs;
        this.sync = s;
        this.columnScans = cs == null ? null : new ColumnStoreScans(cs);
        this.allocator = new RootAllocator(Long.MAX_VALUE);
        this.workers = new QueryWorkers(config.threads());
        this.metrics = new DuetMetrics(config.meterRegistry(), databaseName(store), store, sessions);
        if (s != null) {
            metrics.columnStore(cs, s, (ColumnStoreScans) columnScans, store.catalog());
        }
    }

    /** Numbers the in-memory databases of this JVM for their {@code database} tag. */
    private static final AtomicLong IN_MEMORY = new AtomicLong();

    /** The {@code database} tag of the meters: the directory, or {@code memory-<n>}. */
    private static String databaseName(RowStore store) {
        Path dir = store.directory();
        return dir != null ? dir.toAbsolutePath().normalize().toString() : "memory-" + IN_MEMORY.incrementAndGet();
    }

    /** Starts the sync; null (with a warning) when it cannot start for a reason that leaves the row store sound (55000). */
    private static ColumnSync startColumnStore(RowStore store, ColumnStore cs, SyncOptions options) {
        try {
            return ColumnSync.start(store, cs, options);
        } catch (DuetException e) {
            if (e.state() != dev.duet.core.SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE) {
                throw e;
            }
            System.getLogger(Duet.class.getName()).log(System.Logger.Level.WARNING,
                    "database " + store.directory() + " runs without its column store: " + e.getMessage());
            return null;
        }
    }

    /** Opens or creates the database in {@code dir} with default settings (fsync durability). */
    public static Duet open(Path dir) {
        return open(dir, DuetConfig.defaults());
    }

    public static Duet open(Path dir, DuetConfig config) {
        Objects.requireNonNull(config, "config is null");
        if (config.columnStore() == null) {
            return new Duet(RowStore.open(dir, config.rowStore()), config);
        }
        // The sync's WAL position is registered before the row store's first checkpoint can run.
        return new Duet(RowStore.open(dir, config.rowStore(), ColumnSync.walConsumers(dir.resolve("columns"))), config);
    }

    /** A database in memory only; its contents are gone when it is closed. */
    public static Duet inMemory() {
        return inMemory(DuetConfig.defaults());
    }

    public static Duet inMemory(DuetConfig config) {
        Objects.requireNonNull(config, "config is null");
        return new Duet(RowStore.inMemory(config.rowStore()), config);
    }

    public DuetConfig config() {
        return config;
    }

    /** Begins a read-write transaction. */
    public Transaction begin() {
        return store.begin(false);
    }

    /** Begins a transaction; a read-only one sees one snapshot and never blocks writers. */
    public Transaction begin(boolean readOnly) {
        return store.begin(readOnly);
    }

    /** Runs {@code work} in a new transaction and commits it (rolls back if it throws). */
    public <T> T inTransaction(Function<Transaction, T> work) {
        try (Transaction tx = begin()) {
            T result = work.apply(tx);
            tx.commit();
            return result;
        }
    }

    /** Like {@link #inTransaction(Function)} for work without a result. */
    public void run(Consumer<Transaction> work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** Creates a table and returns its definition (with its assigned id). */
    public TableDef createTable(TableDef spec) {
        TableDef created = inTransaction(tx -> tx.createTable(spec));
        metrics.refreshTables(store.catalog());
        return created;
    }

    public void dropTable(String table) {
        run(tx -> tx.dropTable(table));
        metrics.refreshTables(store.catalog());
    }

    public void createSchema(String schema) {
        run(tx -> tx.createSchema(schema));
    }

    /** Inserts one row (all columns, in column order). */
    public void insert(String table, Object... values) {
        run(tx -> tx.insert(table, values));
    }

    /**
     * A bulk loader for {@code table} ({@code name} or {@code schema.name}; 42P01 if absent) that
     * commits every {@link Appender#DEFAULT_FLUSH_ROWS} rows and on {@link Appender#flush()} /
     * {@link Appender#close()}: the fast way to load many rows. Each flush is one transaction
     * through the WAL; see {@link Appender} for what it guarantees and how it fails.
     *
     * <pre>{@code
     * try (Appender a = db.appender("accounts")) {
     *     for (long id = 1; id <= 1_000_000; id++) {
     *         a.appendLong(id).appendLong(100).endRow();
     *     }
     * }
     * }</pre>
     */
    public Appender appender(String table) {
        return appender(table, Appender.DEFAULT_FLUSH_ROWS);
    }

    /** As {@link #appender(String)}, flushing every {@code flushRows} rows. */
    public Appender appender(String table, int flushRows) {
        return store.appender(table, flushRows);
    }

    /** The row with this primary key, or null. */
    public Row get(String table, Object... key) {
        try (Transaction tx = begin(true)) {
            return tx.get(table, key);
        }
    }

    public boolean update(String table, Object[] key, Map<String, ?> changes) {
        return inTransaction(tx -> tx.update(table, key, changes));
    }

    public boolean delete(String table, Object... key) {
        return inTransaction(tx -> tx.delete(table, key));
    }

    /** All rows of a table, in key order, as of now. */
    public List<Row> scan(String table) {
        return scan(table, KeyRange.all());
    }

    public List<Row> scan(String table, KeyRange range) {
        try (Transaction tx = begin(true)) {
            return tx.scan(table, range).toList();
        }
    }

    /**
     * Writes the rows of a SQL query to a Parquet file and returns how many there were: the same
     * as {@code COPY (query) TO 'file' (FORMAT parquet)}, with the given options (types as
     * docs/sql.md maps them; the file appears complete when this returns, or not at all).
     */
    public long exportParquet(String query, Path file, ParquetWriteOptions options) {
        try (Session s = newSession()) {
            return s.exportParquet(query, file, options);
        }
    }

    /**
     * Inserts the rows of a Parquet file into a table (its columns by position) in one transaction
     * and returns how many there were: the same as {@code COPY table FROM 'file' (FORMAT parquet)}.
     */
    public long importParquet(String table, Path file) {
        try (Session s = newSession()) {
            return s.importParquet(table, file);
        }
    }

    /** The catalog as a new transaction would see it. */
    public Catalog catalog() {
        return store.catalog();
    }

    /** Checkpoints now (the background does this by itself; useful before a backup). */
    public void checkpoint() {
        store.checkpoint();
    }

    /**
     * The column store as table scans see it, or null while this database has none (every scan
     * then reads the row store).
     */
    public ColumnScans columnScans() {
        return columnScans;
    }

    /** The row store under this database (for the SQL layer and tests). */
    public RowStore rowStore() {
        return store;
    }

    /**
     * The column store kept in step with the row store (scans at a snapshot wait for its
     * watermark), or null when the configuration turns it off or it is unavailable.
     */
    public ColumnStore columnStore() {
        return columnStore;
    }

    /** The sync feeding {@link #columnStore()} (its metrics: lag, commits applied), or null. */
    public ColumnSync columnSync() {
        return sync;
    }

    /** A new SQL session on this database (one client connection). Close it when done. */
    public Session newSession() {
        return new Session(this);
    }

    /**
     * A JDBC connection to this database (auto-commit on, as JDBC starts). Closing it leaves the
     * database open; the connection must be closed before the database.
     */
    public java.sql.Connection connect() throws java.sql.SQLException {
        return dev.duet.jdbc.DuetDriver.connect(this);
    }

    /** What the SQL sessions of this database share (front end, plan cache); for the SQL layer. */
    public Sessions sessions() {
        return sessions;
    }

    /** The database's root Arrow allocator: every query allocates from a child of it. */
    public BufferAllocator allocator() {
        return allocator;
    }

    /** The pool parallel queries run their workers on (see {@link DuetConfig#threads()}). */
    public java.util.concurrent.Executor queryWorkers() {
        return workers.executor();
    }

    /** The registry holding this database's meters (see {@link DuetMetrics} and docs/operations.md). */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** This database's meters (the SQL layer records into them). */
    public DuetMetrics metrics() {
        return metrics;
    }

    /** Checkpoints, flushes the log and releases the directory; removes the meters. Idempotent. */
    @Override
    public void close() {
        metrics.close();
        sessions.closeAll();
        if (sync != null) {
            sync.close(); // before the row store: it applies what is durable and persists the column store
        }
        store.close();
        if (columnStore != null) {
            columnStore.close();
        }
        workers.close();
        allocator.close();
    }
}
