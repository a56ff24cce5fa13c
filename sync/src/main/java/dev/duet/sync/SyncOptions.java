package dev.duet.sync;

/**
 * Settings of the sync. {@code maxReplayBytes}: once the WAL a restart would have to replay (from
 * the column store's persisted watermark to its applied one) exceeds this, every open segment is
 * sealed, however small, so that the WAL can be truncated. {@code maxQueueBytes}: commits received
 * but not yet applied may hold this many bytes before committers wait for the sync (backpressure).
 * {@code closePersistBytes}: a clean close seals the open segments only when the next open would
 * otherwise replay more WAL than this; below it, replaying is cheaper than a small segment file
 * per table on every close. {@code compactEveryCommits}: how many commits the sync applies between
 * two looks for segments worth compacting ({@link dev.duet.columnstore.ColumnStore#compact}).
 */
public record SyncOptions(long maxReplayBytes, long maxQueueBytes, long closePersistBytes, int compactEveryCommits) {
    public SyncOptions {
        if (maxReplayBytes < 1 || maxQueueBytes < 1 || closePersistBytes < 0 || compactEveryCommits < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public static SyncOptions defaults() {
        return new SyncOptions(64L << 20, 64L << 20, 1L << 20, 1024);
    }

    public SyncOptions withMaxReplayBytes(long value) {
        return new SyncOptions(value, maxQueueBytes, closePersistBytes, compactEveryCommits);
    }

    public SyncOptions withMaxQueueBytes(long value) {
        return new SyncOptions(maxReplayBytes, value, closePersistBytes, compactEveryCommits);
    }

    public SyncOptions withClosePersistBytes(long value) {
        return new SyncOptions(maxReplayBytes, maxQueueBytes, value, compactEveryCommits);
    }

    public SyncOptions withCompactEveryCommits(int value) {
        return new SyncOptions(maxReplayBytes, maxQueueBytes, closePersistBytes, value);
    }
}
