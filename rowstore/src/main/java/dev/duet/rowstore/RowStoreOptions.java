package dev.duet.rowstore;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a row store. {@code fsync} durability (the default) makes {@code commit()} return
 * only once the commit is on disk; {@code async} returns at once and writes the log within
 * {@link #asyncFlushInterval} (a crash of the machine may lose that window; a crash of the process
 * loses only what had not been handed to the OS). A checkpoint runs in the background once the log
 * has grown since the last one by {@link #checkpointWalBytes} and by as many bytes as that
 * checkpoint's live rows hold (a checkpoint writes the rows changed since the one before, but
 * every few checkpoints rewrites every row; this keeps that cost per byte of log bounded as tables
 * grow), or after {@link #checkpointInterval} if anything changed, and on a clean close.
 */
public record RowStoreOptions(
        boolean fsync,
        long walSegmentBytes,
        long checkpointWalBytes,
        Duration checkpointInterval,
        Duration asyncFlushInterval,
        Duration maintenanceInterval,
        boolean checkpointOnClose) {

    public RowStoreOptions {
        Objects.requireNonNull(checkpointInterval, "checkpointInterval is null");
        Objects.requireNonNull(asyncFlushInterval, "asyncFlushInterval is null");
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval is null");
        if (walSegmentBytes < 4096) {
            throw new IllegalArgumentException("walSegmentBytes must be at least 4096");
        }
    }

    public static RowStoreOptions defaults() {
        return new RowStoreOptions(true, 64L << 20, 64L << 20, Duration.ofMinutes(5),
                Duration.ofMillis(10), Duration.ofSeconds(1), true);
    }

    public RowStoreOptions withFsync(boolean value) {
        return new RowStoreOptions(value, walSegmentBytes, checkpointWalBytes, checkpointInterval,
                asyncFlushInterval, maintenanceInterval, checkpointOnClose);
    }

    public RowStoreOptions withWalSegmentBytes(long value) {
        return new RowStoreOptions(fsync, value, checkpointWalBytes, checkpointInterval,
                asyncFlushInterval, maintenanceInterval, checkpointOnClose);
    }

    public RowStoreOptions withCheckpointWalBytes(long value) {
        return new RowStoreOptions(fsync, walSegmentBytes, value, checkpointInterval,
                asyncFlushInterval, maintenanceInterval, checkpointOnClose);
    }

    public RowStoreOptions withCheckpointInterval(Duration value) {
        return new RowStoreOptions(fsync, walSegmentBytes, checkpointWalBytes, value,
                asyncFlushInterval, maintenanceInterval, checkpointOnClose);
    }

    public RowStoreOptions withAsyncFlushInterval(Duration value) {
        return new RowStoreOptions(fsync, walSegmentBytes, checkpointWalBytes, checkpointInterval,
                value, maintenanceInterval, checkpointOnClose);
    }

    public RowStoreOptions withMaintenanceInterval(Duration value) {
        return new RowStoreOptions(fsync, walSegmentBytes, checkpointWalBytes, checkpointInterval,
                asyncFlushInterval, value, checkpointOnClose);
    }

    public RowStoreOptions withCheckpointOnClose(boolean value) {
        return new RowStoreOptions(fsync, walSegmentBytes, checkpointWalBytes, checkpointInterval,
                asyncFlushInterval, maintenanceInterval, value);
    }
}
