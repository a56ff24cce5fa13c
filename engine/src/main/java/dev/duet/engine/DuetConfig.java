package dev.duet.engine;

import dev.duet.rowstore.RowStoreOptions;
import java.util.Objects;

/**
 * Settings of an embedded database. {@link Durability#FSYNC} (the default) returns from commit
 * only once the commit is on disk; {@link Durability#ASYNC} returns at once and writes the log
 * within about 10 ms, trading a small window of recent commits on a machine crash for speed.
 */
public record DuetConfig(RowStoreOptions rowStore) {
    /** When a commit counts as done. */
    public enum Durability { FSYNC, ASYNC }

    public DuetConfig {
        Objects.requireNonNull(rowStore, "rowStore is null");
    }

    public static DuetConfig defaults() {
        return new DuetConfig(RowStoreOptions.defaults());
    }

    public DuetConfig withDurability(Durability durability) {
        return new DuetConfig(rowStore.withFsync(durability == Durability.FSYNC));
    }

    public Durability durability() {
        return rowStore.fsync() ? Durability.FSYNC : Durability.ASYNC;
    }

    public DuetConfig withRowStore(RowStoreOptions options) {
        return new DuetConfig(options);
    }
}
