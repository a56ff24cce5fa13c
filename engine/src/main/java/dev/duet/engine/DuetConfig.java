package dev.duet.engine;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.sync.SyncOptions;
import java.util.Objects;

/**
 * Settings of an embedded database. {@link Durability#FSYNC} (the default) returns from commit
 * only once the commit is on disk; {@link Durability#ASYNC} returns at once and writes the log
 * within about 10 ms, trading a small window of recent commits on a machine crash for speed.
 * {@link #queryMemoryLimit()} is the most Arrow memory one query may hold (a session may lower or
 * raise it with {@code SET duet.memory_limit}); a query that needs more fails with 53200.
 * {@link #columnStore()} (null: no column store) configures the column store the sync keeps in step
 * with the row store (on by default; {@link ColumnStoreOptions#sealRows()} is its seal threshold),
 * and {@link #sync()} the sync that does it.
 */
public record DuetConfig(RowStoreOptions rowStore, long queryMemoryLimit, ColumnStoreOptions columnStore, SyncOptions sync) {
    /** When a commit counts as done. */
    public enum Durability { FSYNC, ASYNC }

    /** Half the JVM's heap limit (direct memory defaults to the same size), at least 64 MiB. */
    public static final long DEFAULT_QUERY_MEMORY_LIMIT = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 2);

    public DuetConfig {
        Objects.requireNonNull(rowStore, "rowStore is null");
        Objects.requireNonNull(sync, "sync is null");
        if (queryMemoryLimit <= 0) {
            throw new IllegalArgumentException("queryMemoryLimit must be positive, got " + queryMemoryLimit);
        }
    }

    public DuetConfig(RowStoreOptions rowStore, long queryMemoryLimit) {
        this(rowStore, queryMemoryLimit, ColumnStoreOptions.defaults(), SyncOptions.defaults());
    }

    public DuetConfig(RowStoreOptions rowStore) {
        this(rowStore, DEFAULT_QUERY_MEMORY_LIMIT);
    }

    public static DuetConfig defaults() {
        return new DuetConfig(RowStoreOptions.defaults());
    }

    public DuetConfig withDurability(Durability durability) {
        return new DuetConfig(rowStore.withFsync(durability == Durability.FSYNC), queryMemoryLimit, columnStore, sync);
    }

    public Durability durability() {
        return rowStore.fsync() ? Durability.FSYNC : Durability.ASYNC;
    }

    public DuetConfig withRowStore(RowStoreOptions options) {
        return new DuetConfig(options, queryMemoryLimit, columnStore, sync);
    }

    /** The same settings with another per-query memory limit in bytes. */
    public DuetConfig withQueryMemoryLimit(long bytes) {
        return new DuetConfig(rowStore, bytes, columnStore, sync);
    }

    /** The same settings with these column store options, or without a column store (null). */
    public DuetConfig withColumnStore(ColumnStoreOptions options) {
        return new DuetConfig(rowStore, queryMemoryLimit, options, sync);
    }

    /** The same settings with these sync options. */
    public DuetConfig withSync(SyncOptions options) {
        return new DuetConfig(rowStore, queryMemoryLimit, columnStore, options);
    }
}
