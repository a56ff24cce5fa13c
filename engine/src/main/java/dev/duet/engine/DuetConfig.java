package dev.duet.engine;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.sync.SyncOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Settings of an embedded database. {@link Durability#FSYNC} (the default) returns from commit
 * only once the commit is on disk; {@link Durability#ASYNC} returns at once and writes the log
 * within about 10 ms, trading a small window of recent commits on a machine crash for speed.
 * {@link #queryMemoryLimit()} is the most Arrow memory one query may hold (a session may lower or
 * raise it with {@code SET duet.memory_limit}); a query that needs more fails with 53200.
 * {@link #columnStore()} (null: no column store) configures the column store the sync keeps in step
 * with the row store (on by default; {@link ColumnStoreOptions#sealRows()} is its seal threshold),
 * and {@link #sync()} the sync that does it. {@link #meterRegistry()} is where the database
 * registers its meters ({@link DuetMetrics}); null (the default) gives each database a
 * {@code SimpleMeterRegistry} of its own. {@link #threads()} is the default of a session's
 * {@code duet.threads} (how many threads one query's scans and aggregations split across; 1 runs
 * every query on its own thread) and the size of the database's worker pool; by default, the
 * available processors.
 */
public record DuetConfig(RowStoreOptions rowStore, long queryMemoryLimit, ColumnStoreOptions columnStore, SyncOptions sync,
        MeterRegistry meterRegistry, int threads) {
    /** When a commit counts as done. */
    public enum Durability { FSYNC, ASYNC }

    /** Half the JVM's heap limit (direct memory defaults to the same size), at least 64 MiB. */
    public static final long DEFAULT_QUERY_MEMORY_LIMIT = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 2);

    /** The most threads a query may use: {@code duet.threads} and {@link #threads()} accept 1 to this. */
    public static final int MAX_THREADS = 1024;

    public DuetConfig {
        Objects.requireNonNull(rowStore, "rowStore is null");
        Objects.requireNonNull(sync, "sync is null");
        if (queryMemoryLimit <= 0) {
            throw new IllegalArgumentException("queryMemoryLimit must be positive, got " + queryMemoryLimit);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
    }

    public DuetConfig(RowStoreOptions rowStore, long queryMemoryLimit, ColumnStoreOptions columnStore, SyncOptions sync,
            MeterRegistry meterRegistry) {
        this(rowStore, queryMemoryLimit, columnStore, sync, meterRegistry, defaultThreads());
    }

    /** The available processors (at most {@link #MAX_THREADS}). */
    public static int defaultThreads() {
        return Math.min(MAX_THREADS, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public DuetConfig(RowStoreOptions rowStore, long queryMemoryLimit) {
        this(rowStore, queryMemoryLimit, ColumnStoreOptions.defaults(), SyncOptions.defaults(), null);
    }

    public DuetConfig(RowStoreOptions rowStore) {
        this(rowStore, DEFAULT_QUERY_MEMORY_LIMIT);
    }

    public static DuetConfig defaults() {
        return new DuetConfig(RowStoreOptions.defaults());
    }

    public DuetConfig withDurability(Durability durability) {
        return new DuetConfig(rowStore.withFsync(durability == Durability.FSYNC), queryMemoryLimit, columnStore, sync,
                meterRegistry, threads);
    }

    public Durability durability() {
        return rowStore.fsync() ? Durability.FSYNC : Durability.ASYNC;
    }

    public DuetConfig withRowStore(RowStoreOptions options) {
        return new DuetConfig(options, queryMemoryLimit, columnStore, sync, meterRegistry, threads);
    }

    /** The same settings with another per-query memory limit in bytes. */
    public DuetConfig withQueryMemoryLimit(long bytes) {
        return new DuetConfig(rowStore, bytes, columnStore, sync, meterRegistry, threads);
    }

    /** The same settings with these column store options, or without a column store (null). */
    public DuetConfig withColumnStore(ColumnStoreOptions options) {
        return new DuetConfig(rowStore, queryMemoryLimit, options, sync, meterRegistry, threads);
    }

    /** The same settings with these sync options. */
    public DuetConfig withSync(SyncOptions options) {
        return new DuetConfig(rowStore, queryMemoryLimit, columnStore, options, meterRegistry, threads);
    }

    /**
     * The same settings with the registry the database registers its meters in (see
     * {@link DuetMetrics}); null for a {@code SimpleMeterRegistry} per database. The meters are
     * removed from it when the database closes; the registry itself stays the caller's.
     */
    public DuetConfig withMeterRegistry(MeterRegistry registry) {
        return new DuetConfig(rowStore, queryMemoryLimit, columnStore, sync, registry, threads);
    }

    /**
     * The same settings with another default of {@code duet.threads} and worker pool size (1 to
     * {@link #MAX_THREADS}; 1: no worker threads, every query serial).
     */
    public DuetConfig withThreads(int threads) {
        return new DuetConfig(rowStore, queryMemoryLimit, columnStore, sync, meterRegistry, threads);
    }
}
